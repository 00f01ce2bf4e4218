"""
Benchmark the image pipeline (articles/imaging.py) on realistic test pictures.

    .venv/bin/python bench/images.py

For each generated picture it reports the time to make all its renditions
(every width, crop and format, as an upload does) and, per width, the bytes of
our AVIF, WebP and fallback renditions against what WordPress serves: a plain
Pillow resize saved as JPEG at quality 82 (PNG sources stay PNG in WordPress,
so they are compared with a plain PNG resize).

Needs no database and no Django: imaging.py is pure Pillow.
"""

from __future__ import annotations

import io
import random
import sys
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from articles import imaging  # noqa: E402


def photo(width: int, height: int, *, seed: int) -> bytes:
    """A camera-like JPEG: soft shapes, a gradient, fine detail and sensor grain."""
    rng = random.Random(seed)
    small = (width // 8, height // 8)
    base = Image.merge(
        "RGB",
        [
            Image.effect_noise(small, 60).filter(ImageFilter.GaussianBlur(6))
            for _ in "RGB"
        ],
    ).resize((width, height), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(base)
    for _ in range(40):
        x, y = rng.randrange(width), rng.randrange(height)
        r = rng.randrange(width // 40, width // 6)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)
    base = base.filter(ImageFilter.GaussianBlur(3))
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    base = Image.blend(base, grain, 0.12)
    buffer = io.BytesIO()
    base.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()


def screenshot(width: int = 1920, height: int = 1080) -> bytes:
    """A PNG of a user interface: flat colours, lines of text, a few pictures."""
    picture = Image.new("RGB", (width, height), (246, 247, 249))
    draw = ImageDraw.Draw(picture)
    font = ImageFont.load_default()
    draw.rectangle([0, 0, width, 64], fill=(33, 52, 88))
    for row in range(120, height - 40, 22):
        draw.text(
            (80, row),
            "Lorem ipsum dolor sit amet, consectetur adipiscing " * 2,
            fill=(40, 40, 40),
            font=font,
        )
    draw.rectangle([width - 560, 120, width - 80, 480], fill=(120, 170, 220))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def transparent(size: int = 1600) -> bytes:
    """A PNG cut-out: a soft shape on a transparent background."""
    picture = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(picture)
    draw.ellipse(
        [size // 8, size // 8, size * 7 // 8, size * 7 // 8], fill=(200, 80, 60, 255)
    )
    picture = picture.filter(ImageFilter.GaussianBlur(size // 100))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return buffer.getvalue()


def wordpress_resize(data: bytes, width: int) -> int:
    source = Image.open(io.BytesIO(data))
    height = round(source.height * width / source.width)
    resized = source.resize((width, height), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if source.format == "PNG":
        resized.save(buffer, format="PNG")
    else:
        resized.convert("RGB").save(buffer, format="JPEG", quality=82)
    return len(buffer.getvalue())


def kb(size: int | None) -> str:
    return f"{size / 1024:7.1f}" if size is not None else "      –"


def main() -> None:
    samples = [
        ("photo 4000×3000 JPEG", photo(4000, 3000, seed=1)),
        ("photo 6000×4000 JPEG", photo(6000, 4000, seed=2)),
        ("screenshot 1920×1080 PNG", screenshot()),
        ("transparent 1600×1600 PNG", transparent()),
    ]
    print(
        f"Pillow {Image.__version__}; modern formats: {', '.join(imaging.modern_formats())}"
    )
    print(
        f"AVIF {imaging.AVIF_OPTIONS}, WebP {imaging.WEBP_OPTIONS}, JPEG {imaging.JPEG_OPTIONS}\n"
    )
    for name, data in samples:
        info = imaging.inspect(data)
        started = time.perf_counter()
        outputs = imaging.make_renditions(data)
        elapsed = time.perf_counter() - started
        print(
            f"{name}: {len(data) / 1024 / 1024:.1f} MB, {len(outputs)} renditions in {elapsed:.2f} s"
        )
        fallback = imaging.fallback_format(info)
        wp = "WP PNG" if info.format == "png" else "WP JPEG q82"
        print(
            f"  {'width':>5}  {'AVIF KB':>7}  {'WebP KB':>7}  {fallback.upper() + ' KB':>7}  {wp + ' KB':>14}  AVIF vs WP"
        )
        whole = {
            (o.width, o.spec.format): len(o.data) for o in outputs if o.spec.crop == ""
        }
        for width in sorted({w for w, _ in whole if w > imaging.PLACEHOLDER_WIDTH}):
            reference = wordpress_resize(data, width)
            avif = whole.get((width, "avif"))
            ratio = f"{100 * avif / reference:5.0f} %" if avif else ""
            print(
                f"  {width:>5}  {kb(avif)}  {kb(whole.get((width, 'webp')))}  "
                f"{kb(whole.get((width, fallback)))}  {kb(reference):>14}  {ratio}"
            )
        print()


if __name__ == "__main__":
    main()

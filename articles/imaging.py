"""
The image processing itself, with Pillow only: what an upload is, which
renditions to make of it, and the bytes of each.

Nothing here knows about Django, storage or the database: bytes go in, bytes
and dimensions come out, so the module is tested and benchmarked on its own
(bench/images.py imports it directly).
"""

from __future__ import annotations

import hashlib
import io
import warnings
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import (
    Image as PillowImage,
)
from PIL import (
    ImageCms,
    ImageOps,
    UnidentifiedImageError,
    features,
)

# The widths a page asks for (WordPress makes the same ones), and the tiny
# placeholder shown while the real picture loads.
WIDTHS = (300, 768, 1024, 1200)
PLACEHOLDER_WIDTH = 20
# The cropped variants some slots draw: an archive card is 3:2 (as in
# static/css/site.css), an avatar is square. Their widths match the slots'
# sizes (a card is at most 22rem wide, 44rem at 2x; an avatar 4rem).
CROPS: dict[str, tuple[int, ...]] = {"": WIDTHS, "3:2": (300, 768), "1:1": (300,)}

# What an upload may be. SVG is refused: it is a document that can carry
# scripts, and sanitizing it is its own project.
ACCEPTED_FORMATS = {"JPEG", "MPO", "PNG", "GIF", "WEBP", "AVIF"}
EXTENSIONS = {
    "JPEG": {"jpg", "jpeg", "jpe", "jfif"},
    "MPO": {"jpg", "jpeg", "mpo"},
    "PNG": {"png"},
    "GIF": {"gif"},
    "WEBP": {"webp"},
    "AVIF": {"avif"},
}
# 50 megapixels: a 6000×4000 phone photo is 24, a 8192×6144 pano is 50.
# A decompression bomb declares far more pixels than that in a few kilobytes.
MAX_PIXELS = 50_000_000

# Encoder settings, chosen with bench/images.py. AVIF speed 6 is about 30
# times faster than speed 4 for 2% more bytes.
AVIF_OPTIONS = {"quality": 55, "speed": 6}
WEBP_OPTIONS = {"quality": 78, "method": 4}
JPEG_OPTIONS = {"quality": 80, "optimize": True, "progressive": True}
PNG_OPTIONS = {"optimize": True}
MIME_TYPES = {
    "avif": "image/avif",
    "webp": "image/webp",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
SRGB = ImageCms.createProfile("sRGB")
ORIENTATION_TAG = 0x0112


class InvalidImage(ValueError):
    """An upload that is not an image this site accepts; the message says why."""


@dataclass(frozen=True)
class SourceInfo:
    width: int
    height: int
    format: str  # "jpeg", "png", "gif", "webp" or "avif"
    bytes: int
    sha256: str
    has_alpha: bool
    animated: bool


@dataclass(frozen=True)
class Spec:
    width: int
    format: str
    crop: str = ""


@dataclass(frozen=True)
class Output:
    spec: Spec
    width: int
    height: int
    data: bytes

    @property
    def extension(self) -> str:
        return "jpg" if self.spec.format == "jpeg" else self.spec.format


def modern_formats() -> list[str]:
    """The formats this Pillow can encode that browsers prefer, best first."""
    return [name for name in ("avif", "webp") if features.check(name)]


def looks_like_svg(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith(b"<svg") or (
        head.startswith(b"<?xml") and b"<svg" in data[:4096].lower()
    )


def _open(data: bytes) -> PillowImage.Image:
    """Open bytes as an image, turning Pillow's failures into InvalidImage."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            image = PillowImage.open(io.BytesIO(data))
    except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
        raise InvalidImage(_too_many_pixels()) from None
    except UnidentifiedImageError:
        raise InvalidImage(
            _("This file is not an image. Upload a JPEG, PNG, GIF, WebP or AVIF file.")
        ) from None
    except (OSError, ValueError, SyntaxError) as error:
        raise InvalidImage(
            _("This image cannot be read (%(error)s).") % {"error": error}
        ) from None
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise InvalidImage(_too_many_pixels(width, height))
    return image


def _too_many_pixels(width: int = 0, height: int = 0) -> str:
    most = MAX_PIXELS // 1_000_000
    if width:
        return _(
            "This image has too many pixels (%(width)s × %(height)s): at most "
            "%(most)s million are accepted. Resize it before uploading."
        ) % {"width": width, "height": height, "most": most}
    return _(
        "This image has too many pixels: at most %(most)s million are accepted. "
        "Resize it before uploading."
    ) % {"most": most}


def inspect(data: bytes, *, filename: str = "") -> SourceInfo:
    """
    Check that `data` is a whole image of an accepted format, and describe it.
    Raise InvalidImage with a message for the editor otherwise.
    """
    if not data:
        raise InvalidImage(_("The file is empty."))
    if looks_like_svg(data) or filename.lower().endswith((".svg", ".svgz")):
        raise InvalidImage(
            _(
                "SVG files are not accepted: they can contain scripts. "
                "Export the picture as PNG or WebP instead."
            )
        )
    image = _open(data)
    if image.format not in ACCEPTED_FORMATS:
        raise InvalidImage(
            _(
                "%(format)s images are not accepted. "
                "Upload a JPEG, PNG, GIF, WebP or AVIF file."
            )
            % {"format": image.format}
        )
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension and extension not in EXTENSIONS[image.format]:
        raise InvalidImage(
            _(
                "The file is named .%(extension)s but contains a %(format)s image. "
                "Rename it or export it again."
            )
            % {"extension": extension, "format": image.format}
        )
    try:
        # verify() checks the structure, and load() decodes every byte: a
        # truncated file fails one or the other.
        image.verify()
        image = _open(data)
        width, height = image.size
        if image.format in ("JPEG", "MPO"):
            # libjpeg decodes at 1/8 scale: it still reads every byte, so a
            # truncated file fails as at full size, in a third of the time
            # (the upload waits for this).
            image.draft(image.mode, (width // 8, height // 8))
        with warnings.catch_warnings():
            warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
            image.load()
    except InvalidImage:
        raise
    except Exception as error:  # Pillow raises many kinds for broken files.
        raise InvalidImage(
            _("This image is damaged or incomplete (%(error)s). Export it again.")
            % {"error": error}
        ) from None
    if image.getexif().get(ORIENTATION_TAG, 1) in (5, 6, 7, 8):
        width, height = height, width  # Shown turned a quarter.
    return SourceInfo(
        width=width,
        height=height,
        format="jpeg" if image.format == "MPO" else image.format.lower(),
        bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        has_alpha=_has_alpha(image),
        animated=getattr(image, "n_frames", 1) > 1,
    )


def _has_alpha(image: PillowImage.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (
        image.mode in ("P", "L", "RGB") and "transparency" in image.info
    )


# What fallback_format() makes: the renditions every reader (and every other
# site: Open Graph, feeds) can read.
FALLBACK_FORMATS = ("jpeg", "png")


def fallback_format(info: SourceInfo) -> str:
    """The format every browser reads: the original's, or PNG for transparency."""
    if info.has_alpha or info.format in ("png", "gif"):
        return "png"
    return "jpeg"


def specs_for(info: SourceInfo) -> list[Spec]:
    """
    Every rendition an image gets: each crop at each width up to the
    original's (never upscaled; the original's width caps the list), in each
    modern format and the fallback, plus the placeholder.
    """
    formats = list(dict.fromkeys([*modern_formats(), fallback_format(info)]))
    specs = []
    for crop, widths in CROPS.items():
        box = crop_box(info.width, info.height, crop, (0.5, 0.5))
        available = box[2] - box[0]
        capped = sorted({min(width, available) for width in widths})
        specs += [Spec(width, fmt, crop) for width in capped for fmt in formats]
    # The placeholder is drawn as a CSS background: WebP is read everywhere.
    placeholder_format = "webp" if "webp" in formats else formats[-1]
    specs.append(Spec(min(PLACEHOLDER_WIDTH, info.width), placeholder_format))
    return list(dict.fromkeys(specs))


def crop_box(
    width: int, height: int, crop: str, focal_point: tuple[float, float]
) -> tuple[int, int, int, int]:
    """
    The largest box of the ratio `crop` ("16:9"; "" keeps the whole picture)
    that keeps the focal point (x, y as fractions) as central as the edges allow.
    """
    if not crop:
        return (0, 0, width, height)
    ratio_w, ratio_h = (int(part) for part in crop.split(":"))
    box_w = min(width, round(height * ratio_w / ratio_h))
    box_h = min(height, round(width * ratio_h / ratio_w))
    focal_x, focal_y = focal_point
    left = min(max(round(focal_x * width - box_w / 2), 0), width - box_w)
    top = min(max(round(focal_y * height - box_h / 2), 0), height - box_h)
    return (left, top, left + box_w, top + box_h)


def _to_srgb(image: PillowImage.Image) -> PillowImage.Image:
    """
    Return an RGB, RGBA or L image in sRGB: colour profiles applied (CMYK
    included), palettes expanded, 16-bit scaled down to 8.
    """
    if image.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        image = image.convert("I")
    if image.mode == "I":
        # 16-bit samples: scale to 8 bits instead of clipping at 255.
        return image.point(lambda value: value * (1 / 256)).convert("L")
    if image.mode == "F":
        return image.convert("L")
    if image.mode in ("1", "P", "PA", "LA", "L") or image.mode not in (
        "RGB",
        "RGBA",
        "CMYK",
    ):
        alpha = _has_alpha(image)
        if image.mode == "L" and not alpha:
            return image
        image = image.convert("RGBA" if alpha else "RGB")
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            output_mode = "RGBA" if image.mode == "RGBA" else "RGB"
            image = ImageCms.profileToProfile(
                image, source, SRGB, outputMode=output_mode
            )
        except (ImageCms.PyCMSError, OSError):
            pass  # A broken profile: fall back to the numbers as they are.
    if image.mode == "CMYK":
        image = image.convert("RGB")
    return image


def prepare(
    data: bytes, *, max_width: int = max(WIDTHS)
) -> tuple[PillowImage.Image, bool]:
    """
    Decode an upload once for all its renditions: the first frame, upright
    (EXIF orientation applied), in sRGB, with no metadata. Return it and
    whether it has transparency.
    """
    image = _open(data)
    if image.format == "JPEG":
        # Let libjpeg decode at 1/2, 1/4 or 1/8 scale when the renditions are
        # that much smaller: a 6000 px photo decodes 4 times faster at 1/4.
        image.draft("RGB", (max_width, max_width))
    image.seek(0)
    image.load()
    image = ImageOps.exif_transpose(image)
    image = _to_srgb(image)
    alpha = image.mode in ("RGBA", "LA")
    if alpha and image.getextrema()[-1][0] == 255:
        image, alpha = image.convert("RGB"), False  # An alpha layer that is all opaque.
    image.info = {}
    return image, alpha


def render(
    prepared: PillowImage.Image,
    specs: Iterable[Spec],
    *,
    focal_point: tuple[float, float] = (0.5, 0.5),
) -> list[Output]:
    """Resize, crop and encode a prepared image for each spec."""
    outputs = []
    for spec in specs:
        box = crop_box(prepared.width, prepared.height, spec.crop, focal_point)
        box_w, box_h = box[2] - box[0], box[3] - box[1]
        width = min(spec.width, box_w)
        height = max(1, round(box_h * width / box_w))
        resized = prepared.resize((width, height), PillowImage.Resampling.LANCZOS, box)
        outputs.append(Output(spec, width, height, encode(resized, spec.format)))
    return outputs


def encode(image: PillowImage.Image, fmt: str) -> bytes:
    """Encode without any metadata: no EXIF, no GPS, no XMP, no colour profile."""
    image.info = {}
    if fmt == "jpeg" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    options = {
        "avif": AVIF_OPTIONS,
        "webp": WEBP_OPTIONS,
        "jpeg": JPEG_OPTIONS,
        "png": PNG_OPTIONS,
    }[fmt]
    buffer = io.BytesIO()
    image.save(buffer, format=fmt.upper(), **options)
    return buffer.getvalue()


def make_renditions(
    data: bytes,
    *,
    specs: Iterable[Spec] | None = None,
    focal_point: tuple[float, float] = (0.5, 0.5),
) -> list[Output]:
    """Make the given renditions (by default all of them) of an image's bytes."""
    if specs is None:
        specs = specs_for(inspect(data))
    specs = list(specs)
    if not specs:
        return []
    prepared, _ = prepare(data, max_width=max(spec.width for spec in specs))
    return render(prepared, specs, focal_point=focal_point)


# Metadata
# ------------------------------------------------------------------------------
# A stored original is reachable at its URL, so it keeps only what drawing
# it needs: pixels, colour profile, transparency, animation and an EXIF
# orientation when it is not upright (browsers apply it). GPS positions,
# camera and owner details (EXIF), XMP, IPTC, comments and text chunks go.

_JPEG_KEPT_SEGMENTS = {
    0xE0: b"JFIF\x00",  # Pixel density.
    0xE2: b"ICC_PROFILE\x00",
    0xEE: b"Adobe",  # How the colours are encoded.
}
_JPEG_STANDALONE = {0x01, *range(0xD0, 0xD8)}
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEPT_CHUNKS = {
    *(b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"gAMA", b"cHRM", b"sRGB"),
    *(b"iCCP", b"sBIT", b"bKGD", b"pHYs", b"cICP", b"acTL", b"fcTL", b"fdAT"),
}
_GIF_KEPT_APPLICATIONS = {b"NETSCAPE2.0", b"ANIMEXTS1.0"}  # Looping.
_WEBP_KEPT_CHUNKS = {b"VP8X", b"VP8 ", b"VP8L", b"ALPH", b"ANIM", b"ANMF", b"ICCP"}
_WEBP_EXIF_FLAG, _WEBP_XMP_FLAG = 0x08, 0x04
AVIF_REENCODE_OPTIONS = {"quality": 90, "speed": 6}


def strip_metadata(data: bytes) -> bytes:
    """
    Return an accepted image without its metadata. JPEG, PNG, GIF and WebP
    are rewritten segment by segment, so their pixels are untouched; AVIF
    keeps its metadata in item tables, so one that has any is encoded again
    at high quality. An MPO keeps only its first picture, as renditions do.
    """
    image = _open(data)
    orientation = image.getexif().get(ORIENTATION_TAG, 1)
    if orientation not in range(1, 9):
        orientation = 1
    try:
        if image.format in ("JPEG", "MPO"):
            return _strip_jpeg(data, orientation)
        if image.format == "PNG":
            return _strip_png(data, orientation)
        if image.format == "GIF":
            return _strip_gif(data)
        if image.format == "WEBP":
            return _strip_webp(data, orientation)
        if image.format == "AVIF":
            return _strip_avif(image, data, orientation)
    except (IndexError, ValueError) as error:
        raise InvalidImage(
            f"This image's structure cannot be read ({error})."
        ) from None
    raise InvalidImage(f"{image.format} images are not accepted.")


def _orientation_exif(orientation: int) -> bytes:
    """An EXIF block (TIFF data after the "Exif\\0\\0" header) holding only the orientation."""
    exif = PillowImage.Exif()
    exif[ORIENTATION_TAG] = orientation
    return exif.tobytes()[6:]


def _strip_jpeg(data: bytes, orientation: int) -> bytes:
    if data[:2] != b"\xff\xd8":
        raise ValueError("no JPEG start marker")
    head, segments = [b"\xff\xd8"], []
    position = 2
    while position < len(data):
        if data[position] != 0xFF:
            raise ValueError(f"no marker at byte {position}")
        while data[position] == 0xFF:  # Fill bytes may precede a marker.
            position += 1
        marker = data[position]
        position += 1
        if marker == 0xD9:
            break
        if marker in _JPEG_STANDALONE:
            segments.append(bytes([0xFF, marker]))
            continue
        length = int.from_bytes(data[position : position + 2], "big")
        if length < 2 or position + length > len(data):
            raise ValueError(f"a segment runs past the end at byte {position}")
        segment = bytes([0xFF, marker]) + data[position : position + length]
        body = data[position + 2 : position + length]
        position += length
        if marker == 0xDA:  # Start of scan: entropy-coded data up to the next marker.
            end = _entropy_end(data, position)
            segments.append(segment + data[position:end])
            position = end
        elif 0xE0 <= marker <= 0xEF or marker == 0xFE:
            signature = _JPEG_KEPT_SEGMENTS.get(marker)
            if signature is not None and body.startswith(signature):
                # JFIF must come first, straight after the start marker.
                (head if marker == 0xE0 and not segments else segments).append(segment)
        else:
            segments.append(segment)
    if orientation != 1:
        exif = b"Exif\x00\x00" + _orientation_exif(orientation)
        head.append(b"\xff\xe1" + (len(exif) + 2).to_bytes(2, "big") + exif)
    return b"".join([*head, *segments, b"\xff\xd9"])


def _entropy_end(data: bytes, position: int) -> int:
    """Where the entropy-coded data from position ends: the next real marker."""
    while True:
        found = data.find(b"\xff", position)
        if found < 0 or found + 1 >= len(data):
            return len(data)
        following = data[found + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:  # Stuffing, restarts.
            position = found + 2
        else:
            return found


def _png_chunk(kind: bytes, payload: bytes) -> bytes:
    return (
        len(payload).to_bytes(4, "big")
        + kind
        + payload
        + zlib.crc32(kind + payload).to_bytes(4, "big")
    )


def _strip_png(data: bytes, orientation: int) -> bytes:
    if not data.startswith(_PNG_SIGNATURE):
        raise ValueError("no PNG signature")
    kept, position, exif_written = (
        [_PNG_SIGNATURE],
        len(_PNG_SIGNATURE),
        orientation == 1,
    )
    while position < len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if len(kind) < 4 or end > len(data):
            raise ValueError(f"a chunk runs past the end at byte {position}")
        if kind == b"IDAT" and not exif_written:  # eXIf must precede the pixels.
            kept.append(_png_chunk(b"eXIf", _orientation_exif(orientation)))
            exif_written = True
        if kind in _PNG_KEPT_CHUNKS:
            kept.append(data[position:end])
        position = end
        if kind == b"IEND":
            break
    return b"".join(kept)


def _gif_sub_blocks_end(data: bytes, position: int) -> int:
    while True:
        size = data[position]
        position += 1 + size
        if size == 0:
            return position


def _strip_gif(data: bytes) -> bytes:
    flags = data[10]
    position = 13 + (3 * 2 ** ((flags & 0x07) + 1) if flags & 0x80 else 0)
    kept = [data[:position]]
    while position < len(data) and data[position] != 0x3B:
        introducer = data[position]
        if introducer == 0x21:  # An extension: label, then data sub-blocks.
            label = data[position + 1]
            end = _gif_sub_blocks_end(data, position + 2)
            application = data[position + 3 : position + 14]
            comment = label == 0xFE
            foreign = label == 0xFF and application not in _GIF_KEPT_APPLICATIONS
            if not (comment or foreign):
                kept.append(data[position:end])
        elif introducer == 0x2C:  # A frame: descriptor, colour table, pixels.
            frame_flags = data[position + 9]
            table = 3 * 2 ** ((frame_flags & 0x07) + 1) if frame_flags & 0x80 else 0
            end = _gif_sub_blocks_end(data, position + 10 + table + 1)
            kept.append(data[position:end])
        else:
            raise ValueError(f"unknown block {introducer:#x} at byte {position}")
        position = end
    kept.append(b"\x3b")
    return b"".join(kept)


def _strip_webp(data: bytes, orientation: int) -> bytes:
    if data[:4] != b"RIFF" or data[8:12] != b"WEBP":
        raise ValueError("no WebP header")
    chunks, position = [], 12
    while position + 8 <= len(data):
        kind = data[position : position + 4]
        size = int.from_bytes(data[position + 4 : position + 8], "little")
        if position + 8 + size > len(data):
            raise ValueError(f"a chunk runs past the end at byte {position}")
        end = position + 8 + size + (size & 1)  # Chunks are padded to even sizes.
        if kind in _WEBP_KEPT_CHUNKS:
            chunks.append([kind, bytearray(data[position + 8 : position + 8 + size])])
        position = end
    extended = chunks and chunks[0][0] == b"VP8X"
    if extended:
        chunks[0][1][0] &= ~(_WEBP_EXIF_FLAG | _WEBP_XMP_FLAG) & 0xFF
        if orientation != 1:
            chunks[0][1][0] |= _WEBP_EXIF_FLAG
            chunks.append([b"EXIF", bytearray(_orientation_exif(orientation))])
    body = b"".join(
        kind
        + len(payload).to_bytes(4, "little")
        + payload
        + b"\x00" * (len(payload) & 1)
        for kind, payload in chunks
    )
    return b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WEBP" + body


def _strip_avif(image: PillowImage.Image, data: bytes, orientation: int) -> bytes:
    exif = image.getexif()
    if not image.info.get("xmp") and not set(exif) - {ORIENTATION_TAG}:
        return data
    options: dict = {**AVIF_REENCODE_OPTIONS}
    if orientation != 1:
        # Pillow writes the orientation as AVIF's own rotation and mirroring.
        kept = PillowImage.Exif()
        kept[ORIENTATION_TAG] = orientation
        options["exif"] = kept
    if image.info.get("icc_profile"):
        options["icc_profile"] = image.info["icc_profile"]
    if getattr(image, "n_frames", 1) > 1:
        options["save_all"] = True
    buffer = io.BytesIO()
    image.save(buffer, format="AVIF", **options)
    return buffer.getvalue()

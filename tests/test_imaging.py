"""articles.imaging on its own: bytes in, bytes and dimensions out."""

import io

import pytest
from django.utils import translation
from PIL import Image as PillowImage
from PIL import ImageCms

from articles import imaging
from tests.images import (
    GPS_IFD,
    bomb_bytes,
    photo_bytes,
    photo_with_gps_and_orientation,
)


def opened(data):
    return PillowImage.open(io.BytesIO(data))


def test_renditions_come_in_every_width_and_modern_format_first():
    info = imaging.inspect(photo_bytes(1600, 1200))
    specs = imaging.specs_for(info)

    whole = {(s.width, s.format) for s in specs if s.crop == ""}
    assert {w for w, _ in whole} == {300, 768, 1024, 1200, imaging.PLACEHOLDER_WIDTH}
    assert {f for _, f in whole} == {"avif", "webp", "jpeg"}
    assert imaging.modern_formats() == ["avif", "webp"]


def test_renditions_are_never_upscaled():
    outputs = imaging.make_renditions(photo_bytes(800, 600))

    widths = {o.width for o in outputs if o.spec.crop == ""}
    assert widths == {imaging.PLACEHOLDER_WIDTH, 300, 768, 800}
    assert max(o.width for o in outputs) == 800
    for output in outputs:
        picture = opened(output.data)
        assert picture.size == (output.width, output.height)
        assert picture.format.lower() == output.spec.format


def test_transparent_png_keeps_its_alpha_and_falls_back_to_png():
    data = photo_bytes(400, 300, fmt="PNG", mode="RGBA")
    picture = opened(data).convert("RGBA")
    picture.putpixel((0, 0), (0, 0, 0, 0))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")

    outputs = imaging.make_renditions(buffer.getvalue())

    fallbacks = [o for o in outputs if o.spec.format == "png"]
    assert fallbacks
    assert all(opened(o.data).mode == "RGBA" for o in fallbacks)
    assert "jpeg" not in {o.spec.format for o in outputs}


@pytest.mark.parametrize(
    ("mode", "fmt"),
    [("CMYK", "JPEG"), ("P", "PNG"), ("P", "GIF"), ("L", "PNG"), ("I;16", "PNG")],
)
def test_unusual_colour_modes_become_srgb_renditions(mode, fmt):
    outputs = imaging.make_renditions(photo_bytes(400, 300, fmt=fmt, mode=mode))

    for output in outputs:
        assert opened(output.data).mode in ("RGB", "RGBA", "L")


def test_sixteen_bit_greys_are_scaled_not_clipped():
    buffer = io.BytesIO()
    PillowImage.new("I;16", (400, 300), 32768).save(buffer, format="PNG")

    output = imaging.make_renditions(buffer.getvalue())[0]

    assert 120 <= opened(output.data).convert("L").getpixel((5, 5)) <= 136


def test_an_animated_gif_gives_still_renditions_of_its_first_frame():
    frames = [PillowImage.new("RGB", (400, 300), colour) for colour in ("red", "blue")]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:])

    info = imaging.inspect(buffer.getvalue())
    outputs = imaging.make_renditions(buffer.getvalue())

    assert info.animated
    webp = next(o for o in outputs if o.spec.format == "webp" and o.width == 300)
    assert getattr(opened(webp.data), "n_frames", 1) == 1
    assert opened(webp.data).convert("RGB").getpixel((10, 10))[0] > 200


def test_exif_orientation_is_applied_and_gps_is_stripped():
    data = photo_with_gps_and_orientation(1600, 1200, orientation=6)
    assert opened(data).getexif().get_ifd(GPS_IFD)  # The upload carries GPS.

    info = imaging.inspect(data)
    outputs = imaging.make_renditions(data)

    assert (info.width, info.height) == (1200, 1600)  # Upright: portrait.
    for output in outputs:
        picture = opened(output.data)
        assert picture.height > picture.width or output.spec.crop
        assert not picture.getexif()
        assert "exif" not in picture.info and "xmp" not in picture.info
        assert "icc_profile" not in picture.info


def test_a_colour_profile_is_converted_to_srgb_and_not_kept():
    profile = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    data = photo_bytes(400, 300, icc_profile=srgb)

    outputs = imaging.make_renditions(data)

    assert profile  # Pillow can build profiles here.
    assert all("icc_profile" not in opened(o.data).info for o in outputs)


@pytest.mark.parametrize(
    ("focal", "expected_left"),
    [((0.0, 0.5), 0), ((1.0, 0.5), 400), ((0.5, 0.5), 200), ((0.6, 0.5), 300)],
)
def test_square_crop_keeps_the_focal_point_in_view(focal, expected_left):
    box = imaging.crop_box(1000, 600, "1:1", focal)

    assert box == (expected_left, 0, expected_left + 600, 600)


def test_cropped_renditions_follow_the_focal_point():
    picture = PillowImage.new("RGB", (1600, 900), (0, 0, 255))
    picture.paste((255, 0, 0), (1200, 0, 1600, 900))  # Red on the right.
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")

    outputs = imaging.make_renditions(buffer.getvalue(), focal_point=(0.95, 0.5))

    square = next(o for o in outputs if o.spec.crop == "1:1" and o.spec.format == "png")
    assert (square.width, square.height) == (300, 300)
    assert opened(square.data).convert("RGB").getpixel((299, 150))[0] > 200
    card = next(o for o in outputs if o.spec.crop == "3:2" and o.width == 768)
    assert card.height == 512


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "empty.jpg", "empty"),
        (b"just some text, not a picture", "notes.jpg", "not an image"),
        (photo_bytes(400, 300)[:-2000], "cut.jpg", "damaged or incomplete"),
        (photo_bytes(400, 300), "photo.png", "named .png but contains a JPEG"),
        (bomb_bytes(), "bomb.png", "too many pixels"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "x.svg", "SVG"),
        (b'<?xml version="1.0"?><svg></svg>', "logo.png", "SVG"),
        (photo_bytes(40, 30, fmt="TIFF"), "scan.tif", "TIFF images are not accepted"),
    ],
    ids=[
        "empty",
        "text",
        "truncated",
        "lying-extension",
        "bomb",
        "svg",
        "svg-as-png",
        "tiff",
    ],
)
def test_bad_input_is_refused_with_a_clear_message(data, filename, message):
    with pytest.raises(imaging.InvalidImage, match=message):
        imaging.inspect(data, filename=filename)


def test_inspect_describes_the_upload():
    data = photo_bytes(640, 480)

    info = imaging.inspect(data, filename="photo.JPG")

    assert (info.width, info.height, info.format, info.bytes) == (
        640,
        480,
        "jpeg",
        len(data),
    )
    assert len(info.sha256) == 64 and not info.has_alpha


@pytest.mark.parametrize(
    ("data", "filename", "dutch"),
    [
        (b"", "empty.jpg", "Het bestand is leeg."),
        (b"not an image at all", "notes.jpg", "Dit bestand is geen afbeelding."),
        (bomb_bytes(), "bomb.png", "te veel pixels"),
        (photo_bytes(40, 30, fmt="TIFF"), "scan.tif", "worden niet geaccepteerd"),
    ],
)
def test_a_refused_upload_is_explained_in_the_editors_language(data, filename, dutch):
    with translation.override("nl"), pytest.raises(imaging.InvalidImage) as refused:
        imaging.inspect(data, filename=filename)

    assert dutch in str(refused.value)

"""Pictures made on the fly for the image tests."""

import io

from PIL import Image as PillowImage
from PIL import ImageDraw

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_bytes(width=1600, height=1200, *, fmt="JPEG", mode="RGB", **save):
    """A picture with some structure, so that encoders have work to do."""
    picture = PillowImage.new("RGB", (width, height), (90, 140, 200))
    draw = ImageDraw.Draw(picture)
    draw.rectangle(
        [width // 4, height // 4, width // 2, height // 2], fill=(220, 60, 40)
    )
    if mode != "RGB":
        picture = picture.convert(mode)
    buffer = io.BytesIO()
    picture.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def photo_with_gps_and_orientation(width=1600, height=1200, orientation=6):
    picture = PillowImage.new("RGB", (width, height), (90, 140, 200))
    exif = picture.getexif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"
    gps = exif.get_ifd(GPS_IFD)
    gps[1] = "N"
    gps[2] = (52.0, 22.0, 1.5)
    gps[3] = "E"
    gps[4] = (4.0, 53.0, 2.0)
    buffer = io.BytesIO()
    picture.save(buffer, format="JPEG", exif=exif)
    return buffer.getvalue()


def bomb_bytes():
    """A PNG that declares 20000 × 20000 pixels in a few hundred bytes."""
    buffer = io.BytesIO()
    PillowImage.new("1", (20000, 20000)).save(buffer, format="PNG")
    return buffer.getvalue()

"""
Alt text checks for the images an article shows: which uses block
publishing (no alt and not decorative) and which alt text is suspect
(equal to the title, or repeated within the article). Pure: the admin
gathers the uses and shows the result.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class ImageUse:
    image_id: int
    label: str  # How the editor knows the image, e.g. its title or file name.
    where: str  # "featured image", "body" or "FAQ"
    alt: str  # The alt text this use shows: its own, else the library's.
    decorative: bool = False


def _normal(text: str) -> str:
    return " ".join(text.lower().split())


def missing_alt(uses: list[ImageUse]) -> list[ImageUse]:
    """The uses that have no alt text and are not marked decorative."""
    return [use for use in uses if not use.decorative and not use.alt.strip()]


def weak_alt(uses: list[ImageUse], *, title: str) -> list[str]:
    """
    Warnings about alt text that describes nothing: the article's title
    repeated as alt (WordPress themes do this), or one alt for different images.
    """
    warnings = []
    described = [use for use in uses if not use.decorative and use.alt.strip()]
    for use in described:
        if _normal(use.alt) == _normal(title):
            warnings.append(
                f"The alt text of “{use.label}” ({use.where}) only repeats the title: "
                "describe what the picture shows."
            )
    images_per_alt = defaultdict(dict)
    for use in described:
        images_per_alt[_normal(use.alt)].setdefault(use.image_id, use)
    for same in images_per_alt.values():
        if len(same) > 1:
            labels = ", ".join(f"“{use.label}”" for use in same.values())
            alt = next(iter(same.values())).alt
            warnings.append(
                f"{len(same)} images share the alt text “{alt}” ({labels}): "
                "each should say what it shows."
            )
    return warnings


def missing_alt_message(missing: list[ImageUse]) -> str:
    names = "; ".join(f"“{use.label}” ({use.where})" for use in missing)
    return f"Add alt text, or mark the use decorative, before publishing. Missing for: {names}."

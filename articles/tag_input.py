"""
How tags are typed in a form: separated by commas, so that "back pain" is
one tag, as editors mean it (taggit's default splits on spaces when there
is no comma). A name with a comma in it is written in quotes.
"""

from __future__ import annotations

import csv


def parse_tags(text: str) -> list[str]:
    """The tag names in what was typed, each once (whatever its case), in order."""
    names, seen = [], set()
    for line in (text or "").splitlines():
        for name in next(csv.reader([line], skipinitialspace=True), []):
            name = " ".join(name.split())[:100]
            if name and name.casefold() not in seen:
                seen.add(name.casefold())
                names.append(name)
    return names


def edit_string(tags) -> str:
    """What a form shows for tags: what parse_tags() reads back as the same tags."""
    return ", ".join(
        _quoted(tag.name) for tag in sorted(tags, key=lambda tag: tag.name.casefold())
    )


def _quoted(name: str) -> str:
    # CSV's quoting, which parse_tags() reads: inner quotes doubled.
    if "," in name or '"' in name:
        return '"' + name.replace('"', '""') + '"'
    return name

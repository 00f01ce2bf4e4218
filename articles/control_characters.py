"""
Control characters out of stored text, removed once where text enters: in
every save of a model of this app (a pre_save receiver over its CharFields
and TextFields), in the rich text allowlist (sanitize.py, which also runs on
the importer's bulk writes) and in the importer's JSON reader.

XML 1.0, which feeds and sitemaps are written in, forbids the C0 controls
other than tab, line feed and carriage return, and U+FFFE and U+FFFF:
Django's feed generator refuses them with a 500, and a reader refuses a feed
that has one. PostgreSQL refuses NUL, and a lone surrogate (which a JSON
file may spell as \\ud800) cannot be written as UTF-8. A vertical tab or
form feed is what a word processor pastes for a line or page break, so it
becomes a space rather than joining two words.
"""

from __future__ import annotations

import re
from typing import Any

from django.db import models
from django.db.models.signals import pre_save
from django.dispatch import receiver

FORBIDDEN = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
BREAKS = re.compile("[\x0b\x0c]")


def remove(text: str) -> str:
    """Return text without the characters XML 1.0 forbids; tabs and newlines stay."""
    if not isinstance(text, str):
        return text
    return FORBIDDEN.sub("", BREAKS.sub(" ", text))


def remove_from_json(value: Any) -> Any:
    """Return decoded JSON with remove() applied to every string in it, keys included."""
    if isinstance(value, str):
        return remove(value)
    if isinstance(value, list):
        return [remove_from_json(item) for item in value]
    if isinstance(value, dict):
        return {remove(key): remove_from_json(item) for key, item in value.items()}
    return value


def _text_fields(model: type[models.Model]) -> list[str]:
    return [
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
    ]


@receiver(pre_save, dispatch_uid="articles.remove_control_characters")
def remove_before_save(sender, instance, raw=False, **kwargs):
    """Every CharField and TextField of this app's models, on every save."""
    if raw or sender._meta.app_label != "articles":
        return
    for name in _text_fields(sender):
        value = getattr(instance, name)
        if isinstance(value, str):
            setattr(instance, name, remove(value))

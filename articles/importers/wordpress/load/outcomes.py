"""
What importing each item did, for the command's report.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("created", "updated", "unchanged", "skipped", "failed")


@dataclass(frozen=True)
class Outcome:
    """What importing one post did (or, in a dry run, would do)."""

    action: str
    title: str
    reason: str = ""
    article_id: int | None = None

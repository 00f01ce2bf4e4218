"""
What importing each item did, for the command's report.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("created", "updated", "unchanged", "skipped", "failed")


@dataclass(frozen=True)
class Outcome:
    """
    What importing one item did (or, in a dry run, would do). notice is
    what an editor should look at although the item was imported, e.g. a
    slug it could not keep.
    """

    action: str
    title: str
    reason: str = ""
    article_id: int | None = None
    notice: str = ""

"""Why a change was not made. Nothing of a refused change is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from articles.models import Revision
from articles.revisions import FieldDiff


class Refused(Exception):
    """A change the rules do not allow, with messages for the person who asked."""

    def __init__(self, *messages: str) -> None:
        super().__init__(*messages)
        self.messages = [str(message) for message in messages]


@dataclass
class EditConflict(Refused):
    """
    Someone saved since the form was opened: their revision and what it
    changed against the version the form was opened with.
    """

    latest: Revision
    changes: list[FieldDiff] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(
            _("%(name)s saved this text since you opened it.")
            % {"name": self.latest.author_name}
        )

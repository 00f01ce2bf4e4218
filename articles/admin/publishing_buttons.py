"""
The change form's submit buttons: which ones a person is offered for
content in its current state, and which one a POST pressed. Each sets the
status the save asks the publishing service for; the service's gates
still decide, so a button is a choice, never a permission.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import PublicationStatus as Status
from articles.publishing.gates import ONLY_EDITORS_PUBLISH, may_change


@dataclass(frozen=True)
class Button:
    name: str
    label: str
    # The status the save asks for; None keeps the one the form's field holds.
    status: str | None
    primary: bool = False


SAVE_DRAFT = Button("_save_draft", _("Save draft"), Status.DRAFT)
SUBMIT_FOR_REVIEW = Button(
    "_submit_review", _("Submit for review"), Status.PENDING, primary=True
)
PUBLISH = Button("_publish", _("Publish"), Status.PUBLISHED, primary=True)
# The same choice as PUBLISH, named for a publish date still to come.
SCHEDULE = Button("_publish", _("Schedule"), Status.PUBLISHED, primary=True)
UPDATE = Button("_update", _("Update"), None)
# An update is what matters on content that is live or waits for review.
UPDATE_PRIMARY = Button("_update", _("Update"), None, primary=True)

# Trashed content comes back by its own action, with the status it had.
GOING_LIVE_FROM = (Status.DRAFT, Status.PENDING, Status.PRIVATE)
NAMES = frozenset(
    button.name for button in (SAVE_DRAFT, SUBMIT_FOR_REVIEW, PUBLISH, UPDATE)
)


class NotOffered(Exception):
    """A POST pressed a button the person was not offered: nothing is saved."""


def offered(user, stored, *, kind) -> list[Button]:
    """
    The buttons user sees for stored (None: content not saved yet): a
    draft is saved as a draft, submitted by people who may not publish and
    published (or scheduled) by those who may; anything else is updated,
    and published by those who may when it is not live.
    """
    if not may_change(user, stored, kind=kind):
        return []
    status = stored.status if stored is not None else Status.DRAFT
    going_live = (
        _publish_button(stored)
        if user.has_perm(kind.publish_permission) and status in GOING_LIVE_FROM
        else None
    )
    if status == Status.DRAFT:
        return [SAVE_DRAFT, going_live or SUBMIT_FOR_REVIEW]
    if going_live is None:
        return [UPDATE_PRIMARY]
    return [UPDATE, going_live]


def _publish_button(stored) -> Button:
    if stored is not None and stored.published_at > timezone.now():
        return SCHEDULE
    return PUBLISH


def pressed(data, *, offered: list[Button], may_publish: bool) -> Button | None:
    """
    The button a POST pressed, one of those offered; None when it pressed
    none (a restored autosave, a script's POST), which saves with the status
    the form's field holds. Enter in a text field presses the first button,
    which never publishes.
    """
    names = sorted(NAMES.intersection(data))
    if not names:
        return None
    by_name = {button.name: button for button in offered}
    if len(names) > 1:
        raise NotOffered(_("Press one button at a time: nothing was saved."))
    if names[0] in by_name:
        return by_name[names[0]]
    if names[0] == PUBLISH.name and not may_publish:
        raise NotOffered(ONLY_EDITORS_PUBLISH)
    raise NotOffered(
        _("That button is not one of yours for this content now: nothing was saved.")
    )

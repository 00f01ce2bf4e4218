"""
The rules a change must pass: who may change what (the roles of
articles/roles.py), who may set a publishing status, and what must be true
of content before it goes live (alt text). Each raises Refused; the caller
(sequence.commit) rolls back.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from articles import alt_text, sign_offs
from articles.models import Image, PublicationStatus
from articles.publishing.refusals import Refused
from articles.richtext import image_uses

ONLY_EDITORS_PUBLISH = gettext_lazy(
    "Only editors can publish. Submit the article for review instead."
)
SIGN_OFF_NEEDED = gettext_lazy(
    "A medical reviewer must sign off what this article says before it goes "
    "live. Ask for a sign-off under Medical review; a minor change (a typo, "
    "formatting) keeps the last one."
)


def may_change(user, stored, *, kind) -> bool:
    """Whether user may change the stored object (None: may create one)."""
    if user is None:
        return True
    if stored is None:
        return user.has_perm(kind.add_permission)
    if not user.has_perm(kind.change_permission):
        return False
    if user.has_perm(kind.edit_others_permission):
        return True
    return kind.owner_user_id(stored) == user.pk and (
        user.has_perm(kind.publish_permission)
        or stored.status in kind.author_editable_statuses
    )


def may_delete_for_good(user) -> bool:
    return user.has_perm("articles.empty_trash")


def check_may_change(user, stored, *, kind, permission=None) -> None:
    """
    Refuse a change to the stored object (None: a new one) that the
    person's role does not allow, or, for an action with a rule of its
    own, that rule.
    """
    allowed = (
        may_change(user, stored, kind=kind)
        if permission is None or user is None
        else permission(user, stored)
    )
    if not allowed:
        raise Refused(
            _("You may not change this %(kind)s.")
            % {"kind": kind.model._meta.verbose_name}
        )


def check_status(user, *, old_status, obj, kind) -> None:
    """Refuse a status that the person's role may not set."""
    if user is None:
        return
    if (
        obj.status != old_status
        and obj.status in PublicationStatus.publishing()
        and not user.has_perm(kind.publish_permission)
    ):
        raise Refused(ONLY_EDITORS_PUBLISH)


def check_publishable(user, obj, *, kind, substantive) -> None:
    """
    Refuse to show readers an image without alt text, or health content no
    medical reviewer signed off (people only: imports keep WordPress's state).
    """
    if user is None or obj.status not in PublicationStatus.publishing():
        return
    missing = alt_text.missing_alt(image_uses_of(stored_fields(obj)))
    if missing:
        raise Refused(alt_text.missing_alt_message(missing))
    if kind.needs_sign_off(obj) and not sign_offs.covers(obj, substantive=substantive):
        raise Refused(SIGN_OFF_NEEDED)


def may_sign_off(user, sign_off) -> bool:
    """Only the reviewer asked, with the reviewer's permission, decides a sign-off."""
    return (
        user.has_perm("articles.sign_off_article")
        and sign_off.reviewer.user_id == user.pk
    )


def alt_text_warnings(obj) -> list[str]:
    """Alt text that describes nothing, for the person who saved obj."""
    return alt_text.weak_alt(image_uses_of(stored_fields(obj)), title=obj.title)


def stored_fields(obj) -> dict:
    """The fields image_uses_of() reads, from saved content (an article or a page)."""
    answers = (
        obj.faq_items.values_list("answer", flat=True)
        if hasattr(obj, "faq_items")
        else []
    )
    return {
        "body": obj.body,
        "featured_image": obj.featured_image,
        "featured_image_alt": obj.featured_image_alt,
        "featured_image_decorative": obj.featured_image_decorative,
        "decorative_body_images": list(obj.decorative_body_images.all()),
        "faq_answers": list(answers),
    }


def image_uses_of(fields) -> list[alt_text.ImageUse]:
    """The images an article's fields show, each with the alt text it gets there."""
    featured = fields.get("featured_image")
    decorative_here = {image.pk for image in fields.get("decorative_body_images") or ()}
    placed = [
        (pk, alt, _("body")) for pk, alt in image_uses(fields.get("body") or "")
    ] + [
        (pk, alt, _("FAQ"))
        for answer in fields.get("faq_answers") or ()
        for pk, alt in image_uses(answer or "")
    ]
    library = Image.objects.in_bulk([pk for pk, _alt, _where in placed])
    uses = []
    if featured is not None:
        uses.append(
            alt_text.ImageUse(
                image_id=featured.pk,
                label=str(featured),
                where=_("featured image"),
                alt=fields.get("featured_image_alt") or featured.alt_text,
                decorative=bool(fields.get("featured_image_decorative"))
                or (featured.decorative and not fields.get("featured_image_alt")),
            )
        )
    for pk, alt, where in placed:
        image = library.get(pk)
        if image is not None:
            uses.append(
                alt_text.ImageUse(
                    image_id=pk,
                    label=str(image),
                    where=str(where),
                    alt=alt or image.alt_text,
                    decorative=pk in decorative_here or (image.decorative and not alt),
                )
            )
    return uses

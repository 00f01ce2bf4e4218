"""
The things a person (or the importer) does to content, one function each.
Each sets up its change and hands it to sequence.commit(), which runs the
same steps for all of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from articles import audit, redirects, renditions, revisions, slugs
from articles.models import (
    Article,
    AuditEntry,
    Page,
    ReviewComment,
    Revision,
    SignOff,
    new_preview_key,
)
from articles.models import PublicationStatus as Status
from articles.publishing import events, gates
from articles.publishing.kinds import kind_of
from articles.publishing.refusals import Refused
from articles.publishing.sequence import Outcome, Stored, commit

Action = AuditEntry.Action


def save(
    obj: Model,
    *,
    user,
    base_version: int | None = None,
    write_parts: Callable[[Model], None] | None = None,
    submit_for_review: bool = False,
    minor: bool = False,
) -> Outcome:
    """
    Store an edit of obj made in a form (its new field values are set on
    obj; write_parts saves the form's inlines and tags). base_version is the
    revision the form was opened with. submit_for_review moves a draft to
    pending review with the same save. minor: the edit changes no meaning
    (a typo, formatting), so readers' updated date and a sign-off stay.
    """
    if submit_for_review and obj.status == Status.DRAFT:
        obj.status = Status.PENDING
    if user is not None:
        kind_of(obj).credit(obj, user)
    outcome = commit(
        obj,
        user=user,
        action=Action.CHANGE if obj.pk else Action.CREATE,
        write_parts=write_parts,
        base_version=base_version,
        clears_autosave=True,
        minor=minor,
    )
    outcome.warnings.extend(gates.alt_text_warnings(outcome.obj))
    return outcome


def transition(
    obj: Model,
    to: str,
    *,
    user,
    comment: str = "",
    publish_at: datetime | None = None,
) -> Outcome:
    """
    Move content to another status on someone's behalf: publish (now, or
    at publish_at), move to draft, submit for review, make private. The
    stored row is changed, not obj, so that nothing saved since obj was
    read is overwritten.
    """

    def apply(locked):
        locked.status = to
        if publish_at is not None:
            locked.published_at = publish_at
        return locked

    return commit(obj, user=user, action=Action.CHANGE, apply=apply, comment=comment)


def approve(obj: Model, *, user, publish_at: datetime | None = None) -> Outcome:
    """An editor's approval of pending content: publish it now, or schedule it for publish_at."""
    return transition(
        obj, Status.PUBLISHED, user=user, publish_at=publish_at or timezone.now()
    )


def send_back(obj: Model, *, user, comment: str) -> Outcome:
    """Return pending content to its author as a draft, with the editor's comment."""
    with transaction.atomic():
        outcome = transition(obj, Status.DRAFT, user=user, comment=comment)
        ReviewComment.objects.create(
            content_object=outcome.obj, user=user, text=comment
        )
    return outcome


def trash(obj: Model, *, user) -> Outcome | None:
    """Move content to the trash, keeping the status it had so that it can come back."""

    def apply(locked):
        if locked.status == Status.TRASH:
            raise _Unchanged
        locked.status_before_trash = locked.status
        locked.status = Status.TRASH
        locked.trashed_at = timezone.now()
        return locked

    return _unless_unchanged(
        lambda: commit(
            obj,
            user=user,
            action=Action.TRASH,
            apply=apply,
            summary=_("Moved to the trash"),
        )
    )


def restore_from_trash(obj: Model, *, user) -> Outcome | None:
    """Bring content back from the trash with the status it had."""

    def apply(locked):
        if locked.status != Status.TRASH:
            raise _Unchanged
        locked.status = locked.status_before_trash or Status.DRAFT
        locked.status_before_trash = ""
        locked.trashed_at = None
        return locked

    return _unless_unchanged(
        lambda: commit(
            obj,
            user=user,
            action=Action.RESTORE,
            apply=apply,
            summary=_("Restored from the trash"),
        )
    )


def restore_revision(revision: Revision, *, user) -> Outcome:
    """
    Write a revision back to its content, children included, as a new
    revision. People who may not publish keep the current status, so that
    a restore never publishes on their behalf.
    """
    obj = revision.content_object
    kind = kind_of(obj)
    keep_status = user is not None and not user.has_perm(kind.publish_permission)

    def apply(locked):
        revisions.apply_fields(locked, revision.snapshot, keep_status=keep_status)
        return locked

    return commit(
        obj,
        user=user,
        action=Action.REVERT,
        apply=apply,
        write_parts=lambda saved: revisions.write_children(saved, revision.snapshot),
        summary=_("Restored the version of %(when)s by %(who)s")
        % {
            "when": timezone.localtime(revision.created_at).strftime("%Y-%m-%d %H:%M"),
            "who": revision.author_name,
        },
    )


def request_sign_off(article: Model, *, user, reviewer, note: str = "") -> SignOff:
    """
    Ask a medical reviewer to sign off an article as it is now: they are
    e-mailed once the request is committed. A request still waiting is
    replaced, so that one reviewer at a time decides.
    """
    if not gates.may_change(user, article, kind=kind_of(article)):
        raise Refused(_("You may not ask for a sign-off of this article."))
    if reviewer.user is None or not reviewer.user.has_perm("articles.sign_off_article"):
        raise Refused(
            _("%(name)s is no medical reviewer with a login.") % {"name": reviewer}
        )
    with transaction.atomic():
        article.sign_offs.filter(decision=SignOff.Decision.REQUESTED).delete()
        request = SignOff.objects.create(
            article=article,
            reviewer=reviewer,
            requested_by=user,
            note=note,
            revision=revisions.latest_revision(article),
        )
        audit.record(
            user, Action.SIGN_OFF_REQUEST, article, reviewer=str(reviewer), note=note
        )
        events.after_commit([], sign_offs=[request], rescore=False)
    return request


def decide_sign_off(
    request: SignOff, *, user, approve: bool, comment: str = ""
) -> SignOff:
    """
    The reviewer's decision. An approval covers the article as it is now
    and sets who reviewed it, when, and when the next review is due: the
    only way an article comes to say "Medically reviewed by". Sending back
    leaves a comment for the writer.
    """
    if not gates.may_sign_off(user, request):
        raise Refused(_("Only the medical reviewer asked decides this sign-off."))
    if request.decision != SignOff.Decision.REQUESTED:
        raise Refused(_("This sign-off was decided already."))
    today = timezone.localdate()

    def apply(locked):
        locked.reviewer = request.reviewer
        locked.last_reviewed_on = today
        locked.next_review_due = today + timedelta(
            days=settings.MEDICAL_REVIEW_INTERVAL_DAYS
        )
        return locked

    with transaction.atomic():
        request.decided_by, request.decided_at = user, timezone.now()
        request.comment = comment
        if approve:
            request.decision = SignOff.Decision.APPROVED
            request.revision = revisions.latest_revision(request.article)
            request.save()
            commit(
                request.article,
                user=user,
                action=Action.SIGN_OFF,
                apply=apply,
                summary=_("Signed off by %(name)s") % {"name": request.reviewer},
                permission=lambda user, stored: gates.may_sign_off(user, request),
                rescore=True,
            )
        else:
            request.decision = SignOff.Decision.SENT_BACK
            request.save()
            ReviewComment.objects.create(
                content_object=request.article, user=user, text=comment
            )
            audit.record(
                user, Action.SIGN_OFF_SEND_BACK, request.article, comment=comment
            )
        events.after_commit([], sign_offs=[request], rescore=False)
    return request


def revoke_preview_links(obj: Model, *, user) -> None:
    """End every preview link shared for obj. Readers see no change: nothing to announce."""
    with transaction.atomic():
        kind_of(obj).model.objects.filter(pk=obj.pk).update(
            preview_key=new_preview_key()
        )
        audit.record(user, Action.REVOKE_LINKS, obj)


def delete_for_good(objects: Iterable[Model], *, user) -> int:
    """Delete trashed content and its history; anything not in the trash is left alone."""
    if user is not None and not gates.may_delete_for_good(user):
        raise Refused(_("Only administrators delete content in the trash for good."))
    deleted = []
    with transaction.atomic():
        for obj in objects:
            if obj.status != Status.TRASH:
                continue
            audit.record(user, Action.DELETE, obj)
            obj.delete()
            deleted.append(obj)
        if deleted:
            events.after_commit(deleted, rescore=False)
    return len(deleted)


def save_imported(
    obj: Model,
    *,
    write_parts: Callable[[Model], None],
    snapshot: Callable[[], dict[str, Any]],
    summary: str = "",
) -> Outcome:
    """
    Store content the importer made or updated from another site, one by
    one. snapshot() is its revision, built from the rows in hand. The importer
    stores the SEO scores of a whole run at its end.
    """
    return commit(
        obj,
        user=None,
        action=Action.IMPORT,
        write_parts=write_parts,
        snapshot=snapshot,
        summary=summary,
        rescore=False,
    )


def record_imported_batch(
    changes: Iterable[tuple[Model, Stored | None, dict[str, Any], str, bool]],
) -> None:
    """
    Record a batch of content the importer wrote together, in a query per
    table: for each (obj, stored, snapshot, summary, substantive), what commit() records
    after its save, a revision, a redirect from a moved address and an
    audit entry, and one content_changed event for the batch once it
    commits. The importer stores the SEO scores of a whole run at its end.
    """
    changes = list(changes)
    if not changes:
        return
    now = timezone.now().replace(microsecond=0)
    changed_text = [
        obj
        for obj, stored, *_rest, substantive in changes
        if substantive and stored is not None and stored.live
    ]
    for obj in changed_text:
        obj.content_updated_at = now
    if changed_text:
        type(changed_text[0]).objects.bulk_update(changed_text, ["content_updated_at"])
    new_revisions = Revision.objects.bulk_create(
        Revision(
            content_object=obj,
            snapshot=data,
            summary=summary[:500],
            substantive=substantive,
        )
        for obj, _stored, data, summary, substantive in changes
    )
    moves = [
        (obj, [stored.path])
        for obj, stored, *_rest in changes
        if stored is not None and stored.live and stored.path != obj.get_absolute_url()
    ]
    redirects.record_moves(moves)
    audit.record_imported(
        (obj, stored.status if stored else None, revision)
        for (obj, stored, *_rest), revision in zip(changes, new_revisions, strict=True)
    )
    # No e-mails: an import reproduces WordPress's state, nobody submitted
    # or approved anything.
    events.after_commit([obj for obj, *_rest in changes], rescore=False)


def save_object(obj: Model, *, user, write: Callable[[], None] | None = None) -> None:
    """
    Store a change to what content pages show but is not itself published
    (a category, tag, author, image or redirect): saved by write() (by
    default obj.save()), audited, and announced once committed.
    """
    action = Action.CHANGE if obj.pk else Action.CREATE
    with transaction.atomic():
        (write or obj.save)()
        audit.record(user, action, obj)
        events.after_commit([obj], rescore=False)


def save_image(image: Model, *, user, new_file: bool, focal_point_moved: bool) -> None:
    """
    Store an image of the library as a form set it (an upload, a new file,
    its details), audited and announced. Its renditions are made in the
    background once this commits, the crops again when the focal point
    moved: the editor waits only for the original to be stored.
    """
    action = Action.CHANGE if image.pk else Action.CREATE
    with transaction.atomic():
        renditions.store(image, new_file=new_file)
        audit.record(user, action, image)
        events.after_commit(
            [image],
            images=[
                events.ImageChange(
                    image, focal_point_moved=focal_point_moved and not new_file
                )
            ],
            rescore=False,
        )


def delete_objects(
    objects: Iterable[Model], *, user, delete: Callable[[], None]
) -> None:
    """Delete such objects (by delete(), e.g. the admin's), audited and announced."""
    objects = list(objects)
    with transaction.atomic():
        for obj in objects:
            audit.record(user, Action.DELETE, obj)
        delete()
        events.after_commit(objects, rescore=False)


# What a translation starts from: the fields that give the text its
# structure and its search appearance, to be translated in the draft. Not
# canonical_url: a translation is its own original, never a copy of another
# page. Not the medical review: the translation is reviewed on its own.
TRANSLATED_FIELDS = {
    Article: (
        "title",
        "excerpt",
        "body",
        "author_id",
        "primary_category_id",
        "featured_image_id",
        "featured_image_alt",
        "featured_image_decorative",
        "sticky",
        "seo_title",
        "meta_description",
        "focus_keyphrases",
        "robots_noindex",
        "robots_nofollow",
    ),
    Page: (
        "title",
        "excerpt",
        "body",
        "page_type",
        "menu_order",
        "featured_image_id",
        "featured_image_alt",
        "featured_image_decorative",
        "seo_title",
        "meta_description",
        "robots_noindex",
        "robots_nofollow",
    ),
}


def translate(obj: Model, language: str, *, user) -> Outcome:
    """
    Start the translation of obj into language: a draft in that language,
    linked to obj's group, with its structure copied to be translated (FAQ,
    references, key takeaways, images with their alt text, categories,
    tags, SEO fields) under a free slug of its language. Whoever may edit
    obj may start its translation.
    """
    kind = kind_of(obj)
    languages = dict(settings.LANGUAGES)
    if language not in languages or language == obj.language:
        raise Refused(_("Choose another language of the site to translate into."))
    taken = kind.model.objects.translations_of(obj).filter(language=language).first()
    if taken is not None:
        raise Refused(
            _("“%(obj)s” has a translation into %(language)s already: “%(other)s”.")
            % {"obj": obj, "language": languages[language], "other": taken}
        )
    model = kind.model
    draft = model(
        language=language,
        translation_key=obj.translation_key,
        status=Status.DRAFT,
        published_at=timezone.now(),
        **{name: getattr(obj, name) for name in TRANSLATED_FIELDS[model]},
    )
    if isinstance(draft, Page):
        draft.parent = _translation_in(obj.parent, language)
    draft.slug = slugs.unique_slug(
        obj.slug,
        taken=_slug_taken(draft),
        max_length=model._meta.get_field("slug").max_length,
    )
    if user is not None:
        kind.credit(draft, user)

    def write_parts(saved):
        _copy_parts(obj, saved)

    return commit(
        draft,
        user=user,
        action=Action.CREATE,
        write_parts=write_parts,
        summary=_("Translation of “%(title)s” (%(language)s), to translate")
        % {"title": obj, "language": languages[obj.language]},
        # The source's rule, not the add permission's alone: who may edit
        # the text may start its translation.
        permission=lambda user, stored: (
            gates.may_change(user, obj, kind=kind)
            and user.has_perm(kind.add_permission)
        ),
    )


def link_translation(obj: Model, other: Model, *, user) -> list[Outcome]:
    """
    Join other (and the texts already linked to it) to obj's group of
    translations. Refused when both groups have a text in the same
    language: a group holds one text per language.
    """
    kind = kind_of(obj)
    if kind_of(other) is not kind:
        raise Refused(_("Only texts of the same kind translate each other."))
    if not gates.may_change(user, obj, kind=kind):
        raise Refused(
            _("You may not change this %(kind)s.")
            % {"kind": kind.model._meta.verbose_name}
        )
    group = list(kind.model.objects.translations_of(obj))
    joining = list(kind.model.objects.translations_of(other))
    if obj.translation_key == other.translation_key:
        return []
    languages = dict(settings.LANGUAGES)
    held = {text.language: text for text in group}
    for text in joining:
        if text.language in held:
            raise Refused(
                _(
                    "“%(obj)s” has a text in %(language)s already: “%(held)s”. "
                    "A text has one translation per language: unlink that one first."
                )
                % {
                    "obj": obj,
                    "language": languages.get(text.language, text.language),
                    "held": held[text.language],
                }
            )

    def apply(locked):
        locked.translation_key = obj.translation_key
        return locked

    with transaction.atomic():
        return [
            commit(
                text,
                user=user,
                action=Action.CHANGE,
                apply=apply,
                summary=_("Linked as a translation of “%s”") % obj,
                rescore=False,
            )
            for text in joining
        ]


def unlink_translation(obj: Model, *, user) -> Outcome | None:
    """
    Take obj out of its group of translations: it becomes a text of its
    own, and the others stop naming it (hreflang, sitemaps, the switcher).
    None when it translates nothing.
    """
    others = [
        text
        for text in kind_of(obj).model.objects.translations_of(obj)
        if text.pk != obj.pk
    ]
    if not others:
        return None

    def apply(locked):
        locked.translation_key = uuid.uuid4()
        return locked

    return commit(
        obj,
        user=user,
        action=Action.CHANGE,
        apply=apply,
        summary=_("No longer a translation of %(texts)s")
        % {"texts": ", ".join(f"“{text}”" for text in others)},
        rescore=False,
    )


def _translation_in(obj: Model | None, language: str) -> Model | None:
    if obj is None:
        return None
    return type(obj).objects.translations_of(obj).filter(language=language).first()


def _slug_taken(draft: Model) -> Callable[[str], bool]:
    if isinstance(draft, Page):
        return draft._slug_taken
    return lambda slug: Article.objects.filter(
        language=draft.language, slug=slug
    ).exists()


def _copy_parts(source: Model, draft: Model) -> None:
    """The parts of the source, copied onto its new translation."""
    draft.decorative_body_images.set(source.decorative_body_images.all())
    if not isinstance(source, Article):
        return
    for name, (model, fields) in revisions.CHILDREN.items():
        for row in getattr(source, name).all():
            model.objects.create(
                article=draft, **{field: getattr(row, field) for field in fields}
            )
    draft.categories.set(source.categories.all())
    draft.tags.set(source.tags.all())


class _Unchanged(Exception):
    """The stored row already is what the action would make it."""


def _unless_unchanged(run: Callable[[], Outcome]) -> Outcome | None:
    try:
        return run()
    except _Unchanged:
        return None

"""
Autosave: a content form's content, kept per person while they type
(static/articles/admin/autosave.js posts it), and offered back when they
open the article again. Restoring submits it like a save, so the edit
conflict check applies and the replaced version stays in the revisions.
"""

from django.contrib.contenttypes.models import ContentType
from django.http import QueryDict

from articles.models import Autosave

# Never kept: the token and the buttons say nothing about the content.
SKIPPED_FIELDS = {
    "csrfmiddlewaretoken",
    "_save",
    "_continue",
    "_addanother",
    "_preview",
    "_submit_review",
    "_save_draft",
    "_publish",
    "_update",
}


def _of(obj, *, user):
    return Autosave.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, user=user
    )


def keep(obj, *, user, post):
    """Store the posted form of `obj` as `user`'s autosave."""
    data = {name: post.getlist(name) for name in post if name not in SKIPPED_FIELDS}
    Autosave.objects.update_or_create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        user=user,
        defaults={"form_data": data},
    )


def pending(obj, *, user):
    """
    The user's autosave of the object. Their own saves clear it, so one that
    is left holds unsaved work, even when someone else saved since: restoring
    it then meets the edit conflict check instead of being thrown away.
    """
    return _of(obj, user=user).first()


def as_post(autosave):
    """The autosave as the POST data of a save with "Save and continue editing"."""
    post = QueryDict(mutable=True)
    for name, values in autosave.form_data.items():
        post.setlist(name, values)
    post["_continue"] = "1"
    return post


def discard(obj, *, user):
    _of(obj, user=user).delete()

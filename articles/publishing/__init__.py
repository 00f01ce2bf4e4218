"""
The one way content changes on someone's behalf.

Every change to an article (and to the categories, tags, authors, images
and redirects its pages show) is made by a function of this package. The
admin's change form, its bulk actions, the review decision, the trash,
revision and autosave restores and the WordPress importer all call one of
them, and each runs the same sequence (sequence.py):

1. lock the stored row (``select_for_update``) and read what it was;
2. refuse an edit made from an older version than the latest revision
   (``EditConflict``, with the other person's change);
3. apply the role rules: who may change it, who may set a publishing
   status, whose byline it carries (gates.py);
4. save the object and its parts, then the bookkeeping that follows from
   them (an article's categories include its primary one; it knows the
   library images it shows);
5. the publish gates on what was saved: no image without alt text goes live;
6. a 301 from the old address when a live page moved;
7. a revision;
8. an audit entry;
9. after the commit (events.py): one ``content_changed`` signal, on which
   caches are invalidated and nowhere else, and the slow work enqueued as
   background tasks (articles/tasks.py): the e-mails of a status change or
   a sign-off, the SEO re-score, an image's renditions.

A refusal at any step raises ``Refused`` and rolls everything back. A new
side effect of every change belongs in ``events.after_commit()`` (or, if it
must be in the transaction, in ``sequence.commit()``), never in a caller.
"""

from articles.publishing.actions import (
    approve,
    decide_sign_off,
    delete_for_good,
    delete_objects,
    link_translation,
    record_imported_batch,
    request_sign_off,
    restore_from_trash,
    restore_revision,
    revoke_preview_links,
    save,
    save_image,
    save_imported,
    save_object,
    send_back,
    transition,
    translate,
    trash,
    unlink_translation,
)
from articles.publishing.events import content_changed
from articles.publishing.refusals import EditConflict, Refused
from articles.publishing.sequence import Outcome, Stored

__all__ = [
    "EditConflict",
    "Outcome",
    "Refused",
    "Stored",
    "approve",
    "decide_sign_off",
    "content_changed",
    "delete_for_good",
    "delete_objects",
    "link_translation",
    "record_imported_batch",
    "request_sign_off",
    "restore_from_trash",
    "restore_revision",
    "revoke_preview_links",
    "save",
    "save_image",
    "save_imported",
    "save_object",
    "send_back",
    "transition",
    "translate",
    "trash",
    "unlink_translation",
]

"""
The settings of the body editor's own extensions (static/articles/editor/,
listed in DJANGO_PROSE_EDITOR_EXTENSIONS). Their words are translated here:
the editor's JavaScript has no catalogue of its own, and these become text
when the form is drawn, in the editor's language.
"""

from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from articles import callouts

VIDEO_EMBED = {
    # Turns an address into the stored markup (admin/editor.py), so that the
    # addresses a video may have are known in one place.
    "markupUrl": reverse_lazy("admin:editor_video"),
    "labels": {
        "button": _("Insert a YouTube or Vimeo video"),
        "dialogTitle": _("Insert a video"),
        "url": _("Address of the video on YouTube or Vimeo"),
        "title": _("Title of the video"),
        "titleHelp": _(
            "Shown until the reader plays it, and read out by screen readers."
        ),
        "caption": _("Caption"),
        "insert": _("Insert"),
        "cancel": _("Cancel"),
        "unreachable": _("The address could not be checked. Try again."),
    },
}

CALLOUT = {
    "kinds": callouts.KINDS,
    "labels": {
        "button": _("Callout: a note, a warning or when to see a doctor"),
        "dialogTitle": _("Callout"),
        "kind": _("Kind"),
        "apply": _("Apply"),
        "remove": _("Remove the callout"),
        "cancel": _("Cancel"),
    },
}

"""
What the admins of every kind of published content share (articles, pages):
the change form saved through the publishing service, edit conflicts shown
with the other person's change, autosave, revisions with diff and restore,
previews and shared links, the review decision, the trash and the bulk
actions. Each admin view only asks the service and shows what it returns.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import HttpResponse, JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from articles import (
    audit,
    autosave,
    edit_locks,
    preview,
    publishing,
    revisions,
    translations,
)
from articles.admin import publishing_buttons
from articles.admin.review import ReviewDecisionForm
from articles.admin.widgets import SafeAutocompleteAdminMixin
from articles.models import PublicationStatus
from articles.pagination import CountedOncePaginator
from articles.publishing.gates import may_change, may_delete_for_good
from articles.publishing.kinds import kind_of

Status = PublicationStatus
TEMPLATES = "admin/articles/publishable"


class PublishableAdminForm(forms.ModelForm):
    # The revision the form was opened with: the publishing service refuses
    # a save made from an older one, which would overwrite someone's work.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    minor_change = forms.BooleanField(
        label=_("minor change"),
        required=False,
        help_text=_(
            "A typo or formatting: the updated date readers see stays, and so "
            "does a medical sign-off."
        ),
    )

    def __init__(self, *args, user=None, refusal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.refusal = refusal
        kind = kind_of(self._meta.model)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = revisions.latest_revision_id(
                self.instance
            )
        if (
            user is not None
            and not user.has_perm(kind.publish_permission)
            and "status" in self.fields
        ):
            self.fields["status"].choices = [
                choice
                for choice in Status.choices
                if choice[0] in kind.author_editable_statuses
            ]
        if "published_at" in self.fields:
            self.fields["published_at"].help_text = _(
                "%(help)s Times are the site’s, %(zone)s, wherever you are."
            ) % {
                "help": self.fields["published_at"].help_text,
                "zone": timezone.get_current_timezone_name(),
            }
        # The instance is still the stored content here: the posted values
        # are set on it only once the form is cleaned.
        self.buttons = (
            publishing_buttons.offered(
                user, self.instance if self.instance.pk else None, kind=kind
            )
            if user is not None
            else []
        )
        self.pressed = None

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None:
            self.show_refusal(self.refusal)
        if self.user is not None:
            try:
                self.pressed = publishing_buttons.pressed(
                    self.data,
                    offered=self.buttons,
                    may_publish=self.user.has_perm(
                        kind_of(self._meta.model).publish_permission
                    ),
                )
            except publishing_buttons.NotOffered as refusal:
                self.add_error(None, str(refusal))
        return cleaned

    def show_refusal(self, refusal):
        """Show why the publishing service refused this save; the text stays in the form."""
        if not isinstance(refusal, publishing.EditConflict):
            for message in refusal.messages:
                self.add_error(None, message)
            return
        self.add_error(
            None,
            render_to_string(
                f"{TEMPLATES}/edit_conflict.html",
                {
                    "revision": refusal.latest,
                    "diffs": refusal.changes,
                    "kind": self._meta.model._meta.verbose_name,
                },
            ),
        )
        # The next save, made after reading their change, goes through.
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = refusal.latest.pk
        self.data = data


class PublishableAdmin(SafeAutocompleteAdminMixin, admin.ModelAdmin):
    change_form_template = f"{TEMPLATES}/change_form.html"
    actions = [
        "publish",
        "move_to_draft",
        "move_to_trash",
        "restore_from_trash",
        "empty_trash",
    ]
    save_on_top = True
    # A filtered list counts what it shows, not also the whole table ("3 of
    # 100,000"), which would read every row's index entry on each page load.
    show_full_result_count = False

    def get_paginator(self, request, queryset, per_page, **kwargs):
        # The list's own count ("1,234 articles") once per content version.
        return CountedOncePaginator(queryset, per_page, **kwargs)

    class Media:
        # The change form's layout, the body editor's videos and callouts
        # (static/articles/editor/), and the Translations panel's search.
        css = {
            "all": [
                "articles/admin/change-form.css",
                "articles/editor/blocks.css",
                "articles/admin/translation-search.css",
            ]
        }
        js = ["articles/admin/translation-search.js"]

    def carry_out(self, request, action, *, done):
        """
        Run a publishing action on the person's behalf and say how it went:
        the service's reasons when it refuses (and answer None), else what
        done(outcome) says (and answer the outcome).
        """
        try:
            outcome = action()
        except publishing.Refused as refusal:
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return None
        self.message_user(request, done(outcome), messages.SUCCESS)
        return outcome

    @property
    def kind(self):
        return kind_of(self.model)

    def _url_name(self, view):
        return f"{self.opts.app_label}_{self.opts.model_name}_{view}"

    def _may_publish(self, request):
        return request.user.has_perm(self.kind.publish_permission)

    @admin.display(description=_("review and preview"))
    def review_panel(self, obj):
        """Editors' comments for the author, and the preview links."""
        if obj is None or obj.pk is None:
            return _("Use the Preview button to see it before saving it.")
        # A read-only field is shown without the request: the person comes
        # from the request being served.
        user = audit.acting_user()
        return render_to_string(
            f"{TEMPLATES}/review_panel.html",
            {
                "obj": obj,
                "may_publish": user is not None
                and user.has_perm(self.kind.publish_permission),
                "comments": obj.review_comments.select_related("user")[:10],
                "share_url": preview.share_url(obj),
                "share_days": preview.max_age_days(),
                "is_pending": obj.status == Status.PENDING,
                "review_url": reverse(
                    f"admin:{self._url_name('review')}", args=[obj.pk]
                ),
                "revoke_url": reverse(
                    f"admin:{self._url_name('revoke_preview_links')}", args=[obj.pk]
                ),
            },
        )

    @admin.display(description=_("revisions"))
    def revision_panel(self, obj):
        if obj is None or obj.pk is None:
            return _("Every save keeps a revision, from the first one on.")
        return render_to_string(
            f"{TEMPLATES}/revision_panel.html",
            {
                "obj": obj,
                "revisions_url": reverse(
                    f"admin:{self._url_name('revisions')}", args=[obj.pk]
                ),
                "revisions": obj.revisions.select_related("author")[:5],
                "count": obj.revision_count,
            },
        )

    @admin.display(description=_("translations"))
    def translations_panel(self, obj):
        """The other languages: each one's text with its status, or the button that starts it."""
        if obj is None or obj.pk is None:
            return _("Save it first, then translate it into the other languages.")
        user = audit.acting_user()
        group = obj.translation_group()
        source = translations.source_of(group)
        rows = translations.overview(obj, group)
        return render_to_string(
            f"{TEMPLATES}/translations_panel.html",
            {
                "obj": obj,
                "rows": rows,
                "may_unlink": {
                    row.text.pk
                    for row in rows
                    if row.text is not None
                    and user is not None
                    and may_change(user, row.text, kind=self.kind)
                },
                "is_outdated": translations.older_than(obj, source),
                "source": source,
                "may_translate": user is not None
                and may_change(user, obj, kind=self.kind)
                and user.has_perm(self.kind.add_permission),
                "opts": self.opts,
                "link_url": reverse(
                    f"admin:{self._url_name('link_translation')}", args=[obj.pk]
                ),
                "candidates_url": reverse(
                    f"admin:{self._url_name('translation_candidates')}",
                    args=[obj.pk],
                ),
            },
        )

    def translate_view(self, request, object_id, language):
        """Start the translation into language: a linked draft, opened for editing."""
        obj = self._object_to_change(request, object_id)
        outcome = self.carry_out(
            request,
            lambda: publishing.translate(obj, language, user=request.user),
            done=lambda outcome: (
                _(
                    "“%s” is a new draft, linked to its source: translate its text, "
                    "FAQ, references and image descriptions."
                )
                % outcome.obj
            ),
        )
        opened = outcome.obj if outcome is not None else obj
        return redirect(f"admin:{self._url_name('change')}", opened.pk)

    def link_translation_view(self, request, object_id):
        """Join an existing text of another language (found by its title) to this one's group."""
        obj = self._object_to_change(request, object_id)
        other = (
            self.get_queryset(request)
            .filter(pk=_int(request.POST.get("translation_id")))
            .exclude(pk=obj.pk)
            .first()
        )
        if other is None:
            self.message_user(
                request,
                _("Type the title of the text to link, then choose it from the list."),
                messages.ERROR,
            )
            return redirect(f"admin:{self._url_name('change')}", obj.pk)
        self.carry_out(
            request,
            lambda: publishing.link_translation(obj, other, user=request.user),
            done=lambda _outcomes: (
                _("“%(other)s” is linked as a translation of “%(obj)s”.")
                % {"other": other, "obj": obj}
            ),
        )
        return redirect(f"admin:{self._url_name('change')}", obj.pk)

    def translation_candidates_view(self, request, object_id):
        """The texts whose title holds what is typed that may be linked to this one."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        typed = request.GET.get("q", "").strip()[:100]
        found = (
            translations.link_candidates(obj, self.get_queryset(request), title=typed)
            if typed
            else []
        )
        return JsonResponse(
            {"results": [translations.as_choice(text) for text in found]}
        )

    def unlink_translation_view(self, request, object_id, translation_id):
        """Ask, then take a text out of this one's group of translations."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            raise PermissionDenied
        other = get_object_or_404(
            self.get_queryset(request)
            .filter(translation_key=obj.translation_key)
            .exclude(pk=obj.pk),
            pk=translation_id,
        )
        if request.method == "POST":
            self.carry_out(
                request,
                lambda: publishing.unlink_translation(other, user=request.user),
                done=lambda _outcome: (
                    _("“%(other)s” is no longer a translation of “%(obj)s”.")
                    % {"other": other, "obj": obj}
                ),
            )
            return redirect(f"admin:{self._url_name('change')}", obj.pk)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Unlink “%(other)s” from “%(obj)s”?")
            % {"other": other, "obj": obj},
            "obj": obj,
            "other": other,
            "opts": self.opts,
        }
        return TemplateResponse(
            request, f"{TEMPLATES}/unlink_translation.html", context
        )

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        return obj.effective_status.label

    def render_change_form(self, request, context, *args, **kwargs):
        context["may_publish"] = self._may_publish(request)
        # The publishing buttons replace Django's "Save and …" ones.
        context["publishing_buttons"] = context["adminform"].form.buttons
        context.update(
            show_save=False,
            show_save_and_continue=False,
            show_save_and_add_another=False,
        )
        return super().render_change_form(request, context, *args, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form_class = super().get_form(request, obj, change, **kwargs)
        refusal = getattr(request, "publishing_refusal", None)

        class RequestForm(form_class):
            def __init__(self, *args, **form_kwargs):
                super().__init__(
                    *args, user=request.user, refusal=refusal, **form_kwargs
                )

        return RequestForm

    def get_readonly_fields(self, request, obj=None):
        return [
            *super().get_readonly_fields(request, obj),
            "revision_panel",
            "translations_panel",
        ]

    def get_fieldsets(self, request, obj=None):
        return [
            *super().get_fieldsets(request, obj),
            (_("Translations"), {"fields": ["translations_panel"]}),
            (
                _("Revisions"),
                {"classes": ["collapse"], "fields": ["revision_panel", "edit_version"]},
            ),
        ]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change(request.user, obj, kind=self.kind)

    def has_delete_permission(self, request, obj=None):
        """Deleting moves to the trash; deleting from the trash is for good."""
        if not super().has_delete_permission(request, obj):
            return False
        if obj is not None and obj.status == Status.TRASH:
            return may_delete_for_good(request.user)
        return obj is None or self.has_change_permission(request, obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """
        A save the publishing service refuses (an edit conflict, a role or
        publish rule) rolls back; the form is then shown again with the
        person's text and the reason.
        """
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except publishing.Refused as refusal:
            request.publishing_refusal = refusal
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        """Nothing yet: save_related() stores the object with its inlines, in one go."""

    def save_related(self, request, form, formsets, change):
        if form.pressed is not None and form.pressed.status is not None:
            form.instance.status = form.pressed.status
        outcome = publishing.save(
            form.instance,
            user=request.user,
            base_version=form.cleaned_data.get("edit_version") or 0 if change else None,
            write_parts=lambda obj: super(PublishableAdmin, self).save_related(
                request, form, formsets, change
            ),
            minor=form.cleaned_data.get("minor_change", False),
        )
        for warning in outcome.warnings:
            self.message_user(request, warning, messages.WARNING)
        request.publishing_message = what_happened(
            outcome, pressed=form.pressed is not None
        )
        request.publishing_button_pressed = form.pressed is not None

    def response_post_save_add(self, request, obj):
        """After a publishing button, the form again, with what happened said above it."""
        if getattr(request, "publishing_button_pressed", False):
            return redirect(f"admin:{self._url_name('change')}", obj.pk)
        return super().response_post_save_add(request, obj)

    def response_post_save_change(self, request, obj):
        if getattr(request, "publishing_button_pressed", False):
            return redirect(f"admin:{self._url_name('change')}", obj.pk)
        return super().response_post_save_change(request, obj)

    def message_user(self, request, message, level=messages.INFO, *args, **kwargs):
        """Say what the save did ("sent for review to the editors") instead of "changed successfully"."""
        said = getattr(request, "publishing_message", None)
        if said and level == messages.SUCCESS:
            request.publishing_message = None
            message = said
        super().message_user(request, message, level, *args, **kwargs)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            for other in edit_locks.opened_by_others(object_id, user=request.user):
                self.message_user(
                    request,
                    _(
                        "%(name)s opened this %(kind)s for editing at %(time)s. "
                        "If you both save, the second save is refused: agree who goes first."
                    )
                    % {
                        "name": other.name,
                        "kind": self.opts.verbose_name,
                        "time": timezone.localtime(other.at).strftime("%H:%M"),
                    },
                    messages.WARNING,
                )
            edit_locks.note_opened(object_id, user=request.user)
            self._offer_autosave(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _offer_autosave(self, request, object_id):
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_change_permission(request, obj):
            return
        kept = autosave.pending(obj, user=request.user)
        if kept is None:
            return
        self.message_user(
            request,
            format_html(
                "{} "
                '<form method="post" action="{}" class="autosave-offer">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<button type="submit" name="restore">{}</button> '
                '<button type="submit" name="discard">{}</button></form>',
                _("You have unsaved changes from %(time)s.")
                % {"time": timezone.localtime(kept.saved_at).strftime("%d %b %H:%M")},
                reverse(f"admin:{self._url_name('autosave_restore')}", args=[obj.pk]),
                get_token(request),
                _("Restore them"),
                _("Discard them"),
            ),
            messages.WARNING,
        )

    def _object_to_change(self, request, object_id):
        """The object a POST acts on, if this person may change it."""
        obj = self.get_object(request, object_id)
        if request.method != "POST" or obj is None:
            raise PermissionDenied
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        return obj

    def autosave_view(self, request, object_id):
        """Keep what the form holds now (posted by autosave.js every few seconds)."""
        obj = self._object_to_change(request, object_id)
        autosave.keep(obj, user=request.user, post=request.POST)
        return HttpResponse(status=204)

    def restore_autosave_view(self, request, object_id):
        """Submit the kept form as a save: the conflict check and revisions apply."""
        obj = self._object_to_change(request, object_id)
        kept = autosave.pending(obj, user=request.user)
        if kept is None or "discard" in request.POST:
            autosave.discard(obj, user=request.user)
            return redirect(f"admin:{self._url_name('change')}", obj.pk)
        request.POST = autosave.as_post(kept)
        return self.changeform_view(request, str(obj.pk))

    def delete_model(self, request, obj):
        if obj.status == Status.TRASH:
            publishing.delete_for_good([obj], user=request.user)
        else:
            publishing.trash(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)

    def get_deleted_objects(self, objs, request):
        if request.POST.get("post") != "yes" and any(
            obj.status != Status.TRASH for obj in objs
        ):
            self.message_user(
                request,
                _(
                    "%(Names)s are moved to the trash, from where they can be restored. "
                    "Only administrators delete %(names)s in the trash for good."
                )
                % {
                    "Names": capfirst(self.opts.verbose_name_plural),
                    "names": self.opts.verbose_name_plural,
                },
                messages.INFO,
            )
        return super().get_deleted_objects(objs, request)

    def revisions_view(self, request, object_id):
        """The object's revisions, and the difference between any two."""
        obj = self.get_object(request, object_id)
        if obj is None or not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        rows = list(obj.revisions.select_related("author"))
        by_pk = {revision.pk: revision for revision in rows}
        newer = by_pk.get(_int(request.GET.get("b"))) or (rows[0] if rows else None)
        older = by_pk.get(_int(request.GET.get("a"))) or (
            rows[1] if len(rows) > 1 else newer
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revisions of “%s”") % obj,
            "opts": self.opts,
            "obj": obj,
            "revisions": rows,
            "older": older,
            "newer": newer,
            "diffs": revisions.diff(older.snapshot, newer.snapshot, model=self.model)
            if older and newer
            else [],
            "can_restore": self.has_change_permission(request, obj),
        }
        return TemplateResponse(request, f"{TEMPLATES}/revisions.html", context)

    def restore_revision_view(self, request, object_id, revision_id):
        if request.method != "POST":
            return redirect(f"admin:{self._url_name('revisions')}", object_id)
        obj = self._object_to_change(request, object_id)
        revision = get_object_or_404(obj.revisions, pk=revision_id)
        restored = self.carry_out(
            request,
            lambda: publishing.restore_revision(revision, user=request.user),
            done=lambda _outcome: (
                _("The version of %(when)s is restored, as a new revision.")
                % {
                    "when": timezone.localtime(revision.created_at).strftime(
                        "%Y-%m-%d %H:%M"
                    )
                }
            ),
        )
        if restored is None:
            return redirect(f"admin:{self._url_name('revisions')}", obj.pk)
        return redirect(f"admin:{self._url_name('change')}", obj.pk)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not self._may_publish(request):
            actions.pop("publish", None)
        if not may_delete_for_good(request.user):
            actions.pop("empty_trash", None)
        return actions

    @admin.action(description=_("Publish selected"))
    def publish(self, request, queryset):
        done = self._each(
            request,
            queryset.exclude(status=Status.PUBLISHED),
            lambda obj: publishing.transition(obj, Status.PUBLISHED, user=request.user),
        )
        self._report(request, done, _("published or scheduled"))

    @admin.action(description=_("Move selected to draft"))
    def move_to_draft(self, request, queryset):
        done = self._each(
            request,
            queryset.exclude(status=Status.DRAFT),
            lambda obj: publishing.transition(obj, Status.DRAFT, user=request.user),
        )
        self._report(request, done, _("moved to draft"))

    @admin.action(description=_("Move selected to the trash"))
    def move_to_trash(self, request, queryset):
        done = self._each(
            request,
            queryset.exclude(status=Status.TRASH),
            lambda obj: publishing.trash(obj, user=request.user),
        )
        self._report(request, done, _("moved to the trash"))

    @admin.action(description=_("Restore selected from the trash"))
    def restore_from_trash(self, request, queryset):
        done = self._each(
            request,
            queryset.filter(status=Status.TRASH),
            lambda obj: publishing.restore_from_trash(obj, user=request.user),
        )
        self._report(request, done, _("restored from the trash"))

    @admin.action(description=_("Delete selected in the trash for good"))
    def empty_trash(self, request, queryset):
        try:
            count = publishing.delete_for_good(
                queryset.filter(status=Status.TRASH), user=request.user
            )
        except publishing.Refused as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        self._report(request, count, _("deleted for good"))

    def _each(self, request, objects, change):
        """Make the change to each object; a refused one is reported and the rest go on."""
        done = 0
        for obj in objects:
            try:
                change(obj)
            except publishing.Refused as refusal:
                for message in refusal.messages:
                    self.message_user(request, f"“{obj}”: {message}", messages.ERROR)
            else:
                done += 1
        return done

    def _report(self, request, count, done):
        # As Django's own actions say it: "3 articles published or scheduled."
        message = gettext("%(count)d %(name)s %(done)s.") % {
            "count": count,
            "name": model_ngettext(self.opts, count),
            "done": done,
        }
        self.message_user(request, message, messages.SUCCESS)

    def get_urls(self):
        view = self.admin_site.admin_view
        routes = {
            "revisions": ("<path:object_id>/revisions/", self.revisions_view),
            "restore_revision": (
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                self.restore_revision_view,
            ),
            "autosave": ("<path:object_id>/autosave/", self.autosave_view),
            "autosave_restore": (
                "<path:object_id>/autosave/restore/",
                self.restore_autosave_view,
            ),
            "preview_add": ("preview/", self.preview_view),
            "preview": ("<path:object_id>/preview/", self.preview_view),
            "review": ("<path:object_id>/review/", self.review_view),
            "revoke_preview_links": (
                "<path:object_id>/preview-links/revoke/",
                self.revoke_preview_links_view,
            ),
            "translate": (
                "<path:object_id>/translate/<str:language>/",
                self.translate_view,
            ),
            "link_translation": (
                "<path:object_id>/translations/link/",
                self.link_translation_view,
            ),
            "translation_candidates": (
                "<path:object_id>/translations/candidates/",
                self.translation_candidates_view,
            ),
            "unlink_translation": (
                "<path:object_id>/translations/<int:translation_id>/unlink/",
                self.unlink_translation_view,
            ),
        }
        return [
            *(
                path(route, view(handler), name=self._url_name(name))
                for name, (route, handler) in routes.items()
            ),
            *super().get_urls(),
        ]

    def posted_form(self, request, object_id=None):
        """
        The stored object (None for new content) and the change form bound
        to what was posted, for a view that looks at a form without saving
        it; only for whoever may save that form.
        """
        if request.method != "POST":
            raise PermissionDenied
        obj = self.get_object(request, object_id) if object_id else None
        if object_id and obj is None:
            raise PermissionDenied
        allowed = (
            self.has_change_permission(request, obj)
            if obj
            else self.has_add_permission(request)
        )
        if not allowed:
            raise PermissionDenied
        form = self.get_form(request, obj, change=obj is not None)(
            request.POST, request.FILES, instance=obj
        )
        return obj, form

    def preview_view(self, request, object_id=None):
        """
        Render the change form's posted data through the reader's template
        without keeping it: the object and its inlines are written inside a
        transaction that is rolled back after rendering, so the preview takes
        exactly the reader's code path and nothing is stored.
        """
        obj, form = self.posted_form(request, object_id)
        draft = form.save(commit=False) if form.is_valid() else form.instance
        formsets, _inlines = self._create_formsets(
            request, draft, change=obj is not None
        )
        if not (form.is_valid() and all_valid(formsets)):
            return TemplateResponse(
                request,
                f"{TEMPLATES}/preview_errors.html",
                {
                    **self.admin_site.each_context(request),
                    "title": _("The preview needs a valid form"),
                    "errors": [form.errors, *(fs.errors for fs in formsets)],
                    "non_form_errors": [fs.non_form_errors() for fs in formsets],
                    "opts": self.opts,
                },
                status=400,
            )
        with transaction.atomic():
            self.kind.credit(draft, request.user)
            draft.save()
            form.save_m2m()
            for formset in formsets:
                formset.instance = draft
                formset.save()
            self.kind.write_derived(draft)
            response = self.render_preview(request, draft)
            transaction.set_rollback(True)
        return response

    def render_preview(self, request, obj):
        """The reader's page of obj, as a preview (articles and pages each say how)."""
        raise NotImplementedError

    def revoke_preview_links_view(self, request, object_id):
        """End every preview link shared so far; a new one can be shared at once."""
        obj = self._object_to_change(request, object_id)
        publishing.revoke_preview_links(obj, user=request.user)
        self.message_user(
            request,
            _("The preview links shared so far no longer work."),
            messages.SUCCESS,
        )
        return redirect(f"admin:{self._url_name('change')}", obj.pk)

    def review_view(self, request, object_id):
        """An editor's decision on pending content: approve or send back."""
        obj = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not self._may_publish(request):
            raise PermissionDenied
        form = ReviewDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    publishing.approve(
                        obj,
                        user=request.user,
                        publish_at=form.cleaned_data["publish_at"],
                    )
                    done = _("“%s” is approved: published or scheduled.")
                else:
                    publishing.send_back(
                        obj, user=request.user, comment=form.cleaned_data["comment"]
                    )
                    done = _("“%s” went back to its author as a draft.")
            except publishing.Refused as refusal:
                for message in refusal.messages:
                    form.add_error(None, message)
            else:
                self.message_user(request, done % obj, messages.SUCCESS)
                return redirect(self.review_done_url())
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review “%s”") % obj,
            "obj": obj,
            "form": form,
            "opts": self.opts,
            "preview_url": preview.staff_url(obj),
        }
        return TemplateResponse(request, f"{TEMPLATES}/review.html", context)

    def review_done_url(self):
        return reverse(f"admin:{self._url_name('changelist')}")


def what_happened(outcome, *, pressed=False):
    """
    What a save did that readers or colleagues notice, in words; after a
    publishing button, also what a save that changed no status did. None
    leaves Django's own message.
    """
    obj, old, new = outcome.obj, outcome.old_status, outcome.obj.effective_status
    if new == Status.SCHEDULED and (old != new or pressed):
        return _("“%(obj)s” is scheduled for %(when)s.") % {
            "obj": obj,
            "when": date_format(timezone.localtime(obj.published_at), "j F Y, H:i"),
        }
    if old == new:
        return _still(obj, new) if pressed else None
    if new == Status.PENDING:
        return _("“%s” is sent for review to the editors.") % obj
    if new == Status.PUBLISHED:
        return _("“%s” is published: readers see it now.") % obj
    if new == Status.DRAFT and old is None:
        return _("“%s” is saved as a draft.") % obj
    if old in Status.live():
        return _("“%s” is no longer live: readers no longer see it.") % obj
    return None


def _still(obj, status):
    """A save that left the status as it was."""
    if status == Status.DRAFT:
        return _("“%s” is saved as a draft.") % obj
    if status == Status.PUBLISHED:
        return _("“%s” is updated: readers see the change now.") % obj
    if status == Status.PENDING:
        return _("“%s” is updated, and still waits for review.") % obj
    return _("“%s” is updated.") % obj


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

"""
The article admin: the change form, its inlines, bulk actions, revisions,
autosave, previews and the review decision.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.forms.formsets import all_valid
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import (
    article_page,
    autosave,
    edit_locks,
    preview,
    publishing,
    revisions,
)
from articles.admin.images import thumbnail
from articles.admin.review import ReviewDecisionForm
from articles.admin.widgets import SafeAutocompleteAdminMixin
from articles.models import (
    Article,
    FAQItem,
    KeyTakeaway,
    Reference,
)
from articles.publishing.gates import may_change, may_delete_for_good
from articles.publishing.kinds import kind_of
from articles.roles import can_edit_others, can_publish, profile_for
from articles.search import results as search_results
from articles.seo_scoring import analyse_article


class ReviewOverdueFilter(admin.SimpleListFilter):
    title = _("medical review")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [("overdue", _("Review overdue")), ("never", _("Never reviewed"))]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(next_review_due__lt=timezone.localdate())
        if self.value() == "never":
            return queryset.filter(last_reviewed_on__isnull=True)
        return queryset


class KeyTakeawayInline(admin.TabularInline):
    model = KeyTakeaway
    fields = ["text", "order"]
    extra = 0


class FAQItemInline(admin.StackedInline):
    model = FAQItem
    fields = ["question", "answer", ("order", "anchor")]
    extra = 0


class ReferenceInline(admin.StackedInline):
    model = Reference
    fields = [
        ("title", "order"),
        ("authors", "publisher", "year"),
        "url",
        ("doi", "pubmed_id", "accessed_on"),
    ]
    extra = 0


class ArticleAdminForm(forms.ModelForm):
    # The revision the form was opened with: the publishing service refuses
    # a save made from an older one, which would overwrite someone's work.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, user=None, refusal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.refusal = refusal
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = revisions.latest_revision_id(
                self.instance
            )
        if user is not None and not can_publish(user) and "status" in self.fields:
            editable = kind_of(self.instance).author_editable_statuses
            self.fields["status"].choices = [
                c for c in Article.Status.choices if c[0] in editable
            ]

    def clean(self):
        cleaned = super().clean()
        due, reviewed = cleaned.get("next_review_due"), cleaned.get("last_reviewed_on")
        if due and reviewed and due < reviewed:
            self.add_error(
                "next_review_due", _("The next review cannot come before the last one.")
            )
        if self.refusal is not None:
            self.show_refusal(self.refusal)
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
                "admin/articles/article/edit_conflict.html",
                {"revision": refusal.latest, "diffs": refusal.changes},
            ),
        )
        # The next save, made after reading their change, goes through.
        data = self.data.copy()
        data[self.add_prefix("edit_version")] = refusal.latest.pk
        self.data = data


@admin.register(Article)
class ArticleAdmin(SafeAutocompleteAdminMixin, admin.ModelAdmin):
    form = ArticleAdminForm
    list_display = [
        "title",
        "status_display",
        "primary_category",
        "author",
        "published_at",
        "updated_at",
        "seo_score_display",
        "featured_thumbnail",
    ]
    list_filter = [
        "status",
        "language",
        "sticky",
        ReviewOverdueFilter,
        "primary_category",
        "author",
    ]
    list_select_related = ["primary_category", "author", "featured_image"]
    search_fields = ["title", "slug", "excerpt", "focus_keyphrases"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = [
        "primary_category",
        "categories",
        "author",
        "reviewer",
        "featured_image",
        "decorative_body_images",
    ]
    readonly_fields = [
        "wordpress_id",
        "wordpress_guid",
        "wordpress_link",
        "wordpress_extra",
        "created_at",
        "updated_at",
        "seo_panel",
        "review_panel",
    ]
    change_form_template = "admin/articles/article/change_form.html"
    inlines = [KeyTakeawayInline, FAQItemInline, ReferenceInline]
    actions = [
        "publish",
        "move_to_draft",
        "move_to_trash",
        "restore_from_trash",
        "empty_trash",
    ]
    save_on_top = True
    fieldsets = [
        (None, {"fields": ["title", "slug", "language", "excerpt", "body"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    ("status", "published_at"),
                    "author",
                    "sticky",
                    "review_panel",
                ]
            },
        ),
        (
            _("Categories and tags"),
            {"fields": ["primary_category", "categories", "tags"]},
        ),
        (
            _("Images"),
            {
                "fields": [
                    "featured_image",
                    "featured_image_alt",
                    "featured_image_decorative",
                    "decorative_body_images",
                ]
            },
        ),
        (
            _("Medical review"),
            {"fields": ["reviewer", ("last_reviewed_on", "next_review_due")]},
        ),
        (
            _("Search engines"),
            {
                # Open, not collapsed: the analysis is what editors act on.
                "fields": [
                    "seo_panel",
                    "seo_title",
                    "meta_description",
                    "focus_keyphrases",
                    "canonical_url",
                    ("robots_noindex", "robots_nofollow"),
                ],
            },
        ),
        (
            _("WordPress origin"),
            {
                "classes": ["collapse"],
                "fields": [
                    "wordpress_id",
                    "wordpress_guid",
                    "wordpress_link",
                    "wordpress_extra",
                    ("created_at", "updated_at"),
                ],
            },
        ),
    ]

    class Media:
        css = {"all": ["articles/admin/seo-preview.css"]}
        js = ["articles/admin/seo-preview.js"]

    @admin.display(description=_("SEO"), ordering="seo_score")
    def seo_score_display(self, obj):
        return "—" if obj.seo_score is None else obj.seo_score

    @admin.display(description=_("SEO analysis"))
    def seo_panel(self, obj):
        """The analysis of the article as last saved; saving runs it again."""
        if obj is None or obj.pk is None:
            return _("Save the article to see its SEO analysis.")
        return render_to_string(
            "admin/articles/article/seo_panel.html",
            {"analysis": analyse_article(obj), "article": obj},
        )

    @admin.display(description=_("review and preview"))
    def review_panel(self, obj):
        """Editors' comments for the author, and the preview links."""
        if obj is None or obj.pk is None:
            return _("Use the Preview button to see the article before saving it.")
        return render_to_string(
            "admin/articles/article/review_panel.html",
            {
                "article": obj,
                "comments": obj.review_comments.select_related("user")[:10],
                "share_url": preview.share_url(obj),
                "share_days": preview.max_age_days(),
                "is_pending": obj.status == Article.Status.PENDING,
                "review_url": reverse("admin:articles_article_review", args=[obj.pk]),
                "revoke_url": reverse(
                    "admin:articles_article_revoke_preview_links", args=[obj.pk]
                ),
            },
        )

    @admin.display(description=_("revisions"))
    def revision_panel(self, obj):
        if obj is None or obj.pk is None:
            return _("Every save keeps a revision, from the first one on.")
        return render_to_string(
            "admin/articles/article/revision_panel.html",
            {
                "article": obj,
                "revisions": obj.revisions.select_related("author")[:5],
                "count": obj.revision_count,
            },
        )

    @admin.display(description=_("status"), ordering="status")
    def status_display(self, obj):
        return obj.effective_status.label

    @admin.display(description=_("image"))
    def featured_thumbnail(self, obj):
        return thumbnail(obj.featured_image)

    def get_queryset(self, request):
        queryset = (
            super().get_queryset(request).prefetch_related("featured_image__renditions")
        )
        if can_edit_others(request.user):
            return queryset
        return queryset.owned_by(request.user)

    def get_search_results(self, request, queryset, search_term):
        """
        The list's search also finds words anywhere in the text (body, FAQ,
        takeaways, tags) through the reader search's index, in any status.
        """
        found, may_have_duplicates = super().get_search_results(
            request, queryset, search_term
        )
        if not search_term.strip():
            return found, may_have_duplicates
        return found | search_results.matching(
            queryset, search_term
        ), may_have_duplicates

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
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_edit_others(request.user):
            readonly.append("author")
        return [*readonly, "revision_panel"]

    def get_fieldsets(self, request, obj=None):
        return [
            *super().get_fieldsets(request, obj),
            (_("Revisions"), {"fields": ["revision_panel", "edit_version"]}),
        ]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "author_profile", None)
        if profile is not None:
            initial.setdefault("author", profile.pk)
        return initial

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or may_change(request.user, obj, kind=kind_of(obj))

    def has_delete_permission(self, request, obj=None):
        """Deleting moves to the trash; deleting from the trash is for good."""
        if not super().has_delete_permission(request, obj):
            return False
        if obj is not None and obj.status == Article.Status.TRASH:
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
        """Nothing yet: save_related() stores the article with its inlines, in one go."""

    def save_related(self, request, form, formsets, change):
        outcome = publishing.save(
            form.instance,
            user=request.user,
            base_version=form.cleaned_data.get("edit_version") or 0 if change else None,
            write_parts=lambda article: super(ArticleAdmin, self).save_related(
                request, form, formsets, change
            ),
            submit_for_review="_submit_review" in request.POST,
        )
        for warning in outcome.warnings:
            self.message_user(request, warning, messages.WARNING)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET" and object_id:
            for other in edit_locks.opened_by_others(object_id, user=request.user):
                self.message_user(
                    request,
                    _(
                        "%(name)s opened this article for editing at %(time)s. "
                        "If you both save, the second save is refused: agree who goes first."
                    )
                    % {
                        "name": other.name,
                        "time": timezone.localtime(other.at).strftime("%H:%M"),
                    },
                    messages.WARNING,
                )
            edit_locks.note_opened(object_id, user=request.user)
            self._offer_autosave(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def _offer_autosave(self, request, object_id):
        article = self.get_object(request, object_id)
        if article is None or not self.has_change_permission(request, article):
            return
        kept = autosave.pending(article, user=request.user)
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
                reverse("admin:articles_article_autosave_restore", args=[article.pk]),
                get_token(request),
                _("Restore them"),
                _("Discard them"),
            ),
            messages.WARNING,
        )

    def _article_to_change(self, request, object_id):
        """The article a POST acts on, if this person may change it."""
        article = self.get_object(request, object_id)
        if request.method != "POST" or article is None:
            raise PermissionDenied
        if not self.has_change_permission(request, article):
            raise PermissionDenied
        return article

    def autosave_view(self, request, object_id):
        """Keep what the form holds now (posted by autosave.js every few seconds)."""
        article = self._article_to_change(request, object_id)
        autosave.keep(article, user=request.user, post=request.POST)
        return HttpResponse(status=204)

    def restore_autosave_view(self, request, object_id):
        """Submit the kept form as a save: the conflict check and revisions apply."""
        article = self._article_to_change(request, object_id)
        kept = autosave.pending(article, user=request.user)
        if kept is None or "discard" in request.POST:
            autosave.discard(article, user=request.user)
            return redirect("admin:articles_article_change", article.pk)
        request.POST = autosave.as_post(kept)
        return self.changeform_view(request, str(article.pk))

    def delete_model(self, request, obj):
        if obj.status == Article.Status.TRASH:
            publishing.delete_for_good([obj], user=request.user)
        else:
            publishing.trash(obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for article in queryset:
            self.delete_model(request, article)

    def get_deleted_objects(self, objs, request):
        if request.POST.get("post") != "yes" and any(
            article.status != Article.Status.TRASH for article in objs
        ):
            self.message_user(
                request,
                _(
                    "Articles are moved to the trash, from where they can be restored. "
                    "Only administrators delete articles in the trash for good."
                ),
                messages.INFO,
            )
        return super().get_deleted_objects(objs, request)

    def revisions_view(self, request, object_id):
        """An article's revisions, and the difference between any two."""
        article = self.get_object(request, object_id)
        if article is None or not self.has_view_or_change_permission(request, article):
            raise PermissionDenied
        rows = list(article.revisions.select_related("author"))
        by_pk = {revision.pk: revision for revision in rows}
        newer = by_pk.get(_int(request.GET.get("b"))) or (rows[0] if rows else None)
        older = by_pk.get(_int(request.GET.get("a"))) or (
            rows[1] if len(rows) > 1 else newer
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Revisions of “%s”") % article,
            "opts": self.model._meta,
            "article": article,
            "revisions": rows,
            "older": older,
            "newer": newer,
            "diffs": revisions.diff(older.snapshot, newer.snapshot)
            if older and newer
            else [],
            "can_restore": self.has_change_permission(request, article),
        }
        return TemplateResponse(
            request, "admin/articles/article/revisions.html", context
        )

    def restore_revision_view(self, request, object_id, revision_id):
        if request.method != "POST":
            return redirect("admin:articles_article_revisions", object_id)
        article = self._article_to_change(request, object_id)
        revision = get_object_or_404(article.revisions, pk=revision_id)
        try:
            publishing.restore_revision(revision, user=request.user)
        except publishing.Refused as refusal:
            for message in refusal.messages:
                self.message_user(request, message, messages.ERROR)
            return redirect("admin:articles_article_revisions", article.pk)
        self.message_user(
            request,
            _("The version of %(when)s is restored, as a new revision.")
            % {
                "when": timezone.localtime(revision.created_at).strftime(
                    "%Y-%m-%d %H:%M"
                )
            },
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not can_publish(request.user):
            actions.pop("publish", None)
        if not may_delete_for_good(request.user):
            actions.pop("empty_trash", None)
        return actions

    @admin.action(description=_("Publish selected articles"))
    def publish(self, request, queryset):
        articles = queryset.exclude(status=Article.Status.PUBLISHED)
        done = self._each(
            request,
            articles,
            lambda article: publishing.transition(
                article, Article.Status.PUBLISHED, user=request.user
            ),
        )
        self._report(request, done, _("published or scheduled"))

    @admin.action(description=_("Move selected articles to draft"))
    def move_to_draft(self, request, queryset):
        articles = queryset.exclude(status=Article.Status.DRAFT)
        done = self._each(
            request,
            articles,
            lambda article: publishing.transition(
                article, Article.Status.DRAFT, user=request.user
            ),
        )
        self._report(request, done, _("moved to draft"))

    @admin.action(description=_("Move selected articles to the trash"))
    def move_to_trash(self, request, queryset):
        articles = queryset.exclude(status=Article.Status.TRASH)
        done = self._each(
            request,
            articles,
            lambda article: publishing.trash(article, user=request.user),
        )
        self._report(request, done, _("moved to the trash"))

    @admin.action(description=_("Restore selected articles from the trash"))
    def restore_from_trash(self, request, queryset):
        articles = queryset.filter(status=Article.Status.TRASH)
        done = self._each(
            request,
            articles,
            lambda article: publishing.restore_from_trash(article, user=request.user),
        )
        self._report(request, done, _("restored from the trash"))

    @admin.action(description=_("Delete selected articles in the trash for good"))
    def empty_trash(self, request, queryset):
        try:
            count = publishing.delete_for_good(
                queryset.filter(status=Article.Status.TRASH), user=request.user
            )
        except publishing.Refused as refusal:
            raise PermissionDenied(refusal.messages[0]) from refusal
        self._report(request, count, _("deleted for good"))

    def _each(self, request, articles, change):
        """Make the change to each article; a refused one is reported and the rest go on."""
        done = 0
        for article in articles:
            try:
                change(article)
            except publishing.Refused as refusal:
                for message in refusal.messages:
                    self.message_user(
                        request, f"“{article}”: {message}", messages.ERROR
                    )
            else:
                done += 1
        return done

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/revisions/",
                view(self.revisions_view),
                name="articles_article_revisions",
            ),
            path(
                "<path:object_id>/revisions/<int:revision_id>/restore/",
                view(self.restore_revision_view),
                name="articles_article_restore_revision",
            ),
            path(
                "<path:object_id>/autosave/",
                view(self.autosave_view),
                name="articles_article_autosave",
            ),
            path(
                "<path:object_id>/autosave/restore/",
                view(self.restore_autosave_view),
                name="articles_article_autosave_restore",
            ),
            path(
                "preview/",
                view(self.preview_view),
                name="articles_article_preview_add",
            ),
            path(
                "<path:object_id>/preview/",
                view(self.preview_view),
                name="articles_article_preview",
            ),
            path(
                "<path:object_id>/review/",
                view(self.review_view),
                name="articles_article_review",
            ),
            path(
                "<path:object_id>/preview-links/revoke/",
                view(self.revoke_preview_links_view),
                name="articles_article_revoke_preview_links",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, object_id=None):
        """
        Render the change form's posted data through the reader's template
        without keeping it: the article and its inlines are written inside a
        transaction that is rolled back after rendering, so the preview takes
        exactly the reader's code path and nothing is stored.
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
        article = form.save(commit=False) if form.is_valid() else form.instance
        formsets, _inlines = self._create_formsets(
            request, article, change=obj is not None
        )
        if not (form.is_valid() and all_valid(formsets)):
            return TemplateResponse(
                request,
                "admin/articles/article/preview_errors.html",
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
            if article.author_id is None or not can_edit_others(request.user):
                article.author = profile_for(request.user)
            article.save()
            form.save_m2m()
            for formset in formsets:
                formset.instance = article
                formset.save()
            kind_of(article).write_derived(article)
            response = article_page.render_preview(
                request, Article.objects.for_detail().get(pk=article.pk)
            )
            transaction.set_rollback(True)
        return response

    def revoke_preview_links_view(self, request, object_id):
        """End every preview link shared so far; a new one can be shared at once."""
        article = self._article_to_change(request, object_id)
        publishing.revoke_preview_links(article, user=request.user)
        self.message_user(
            request,
            _("The preview links shared so far no longer work."),
            messages.SUCCESS,
        )
        return redirect("admin:articles_article_change", article.pk)

    def review_view(self, request, object_id):
        """An editor's decision on a pending article: approve or send back."""
        article = get_object_or_404(self.get_queryset(request), pk=object_id)
        if not can_publish(request.user):
            raise PermissionDenied
        form = ReviewDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                if form.cleaned_data["decision"] == "approve":
                    publishing.approve(
                        article,
                        user=request.user,
                        publish_at=form.cleaned_data["publish_at"],
                    )
                    done = _("“%s” is approved: published or scheduled.")
                else:
                    publishing.send_back(
                        article, user=request.user, comment=form.cleaned_data["comment"]
                    )
                    done = _("“%s” went back to its author as a draft.")
            except publishing.Refused as refusal:
                for message in refusal.messages:
                    form.add_error(None, message)
            else:
                self.message_user(request, done % article, messages.SUCCESS)
                return redirect("admin:articles_pendingarticle_changelist")
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review “%s”") % article,
            "article": article,
            "form": form,
            "opts": self.opts,
            "preview_url": preview.staff_url(article),
        }
        return TemplateResponse(request, "admin/articles/article/review.html", context)

    def _report(self, request, count, done):
        message = ngettext(
            "%(count)d article %(done)s.", "%(count)d articles %(done)s.", count
        )
        self.message_user(
            request, message % {"count": count, "done": done}, messages.SUCCESS
        )


def _int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None

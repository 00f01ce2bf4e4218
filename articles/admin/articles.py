"""
The article admin: its list, its form with the inlines, the SEO analysis
and the medical review fields. What all published content shares (saving
through the service, revisions, autosave, previews, review, trash) is
admin/publishable.py.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.forms.formsets import DELETION_FIELD_NAME
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles import article_page, audit, preview, publishing, sign_offs
from articles.admin.images import thumbnail
from articles.admin.publishable import PublishableAdmin, PublishableAdminForm, _int
from articles.admin.review import SignOffDecisionForm
from articles.models import (
    Article,
    Author,
    FAQItem,
    KeyTakeaway,
    Reference,
    faq_anchor,
)
from articles.publishing.gates import may_change, may_sign_off
from articles.roles import can_edit_others, can_sign_off, users_with_perm
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
    classes = ["sortable-rows"]


class FAQItemFormSet(forms.BaseInlineFormSet):
    def clean(self):
        """
        Give every question left without an anchor its own, made from its
        words, before the anchors are compared: two new questions with
        empty anchors are two anchors to make, not a duplicate.
        """
        forms_kept = [
            form
            for form in self.forms
            if form.is_valid()
            and form.cleaned_data
            and not form.cleaned_data.get("DELETE")
        ]
        taken = {form.cleaned_data.get("anchor") for form in forms_kept} - {"", None}
        for form in forms_kept:
            if not form.cleaned_data.get("anchor") and form.cleaned_data.get(
                "question"
            ):
                anchor = faq_anchor(form.cleaned_data["question"], taken=taken)
                taken.add(anchor)
                form.cleaned_data["anchor"] = form.instance.anchor = anchor
        super().clean()


class FAQItemInline(admin.StackedInline):
    model = FAQItem
    formset = FAQItemFormSet
    fields = ["question", "answer", ("order", "anchor")]
    extra = 0
    classes = ["sortable-rows"]


class ReferenceInline(admin.StackedInline):
    model = Reference
    fields = [
        ("title", "order"),
        ("authors", "publisher", "year"),
        "url",
        ("doi", "pubmed_id", "accessed_on"),
    ]
    extra = 0
    classes = ["sortable-rows"]


@admin.register(Article)
class ArticleAdmin(PublishableAdmin):
    form = PublishableAdminForm
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
        "medical_review_panel",
    ]
    inlines = [KeyTakeawayInline, FAQItemInline, ReferenceInline]
    # The text and its parts (the inlines, shown right after it) first, then
    # what WordPress keeps in its sidebar; rarely used settings collapsed.
    fieldsets = [
        (_("Content"), {"fields": ["title", "body", "excerpt"]}),
        (
            _("Publishing"),
            {
                "fields": [
                    ("status", "published_at"),
                    ("minor_change", "change_note"),
                    ("slug", "language"),
                    ("author", "sticky"),
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
            _("Search engines"),
            {
                # Open, not collapsed: the analysis is what editors act on.
                "fields": [
                    "seo_panel",
                    "seo_title",
                    "meta_description",
                    "focus_keyphrases",
                ],
            },
        ),
        (
            _("Search engines: canonical address and robots"),
            {
                "classes": ["collapse"],
                "fields": ["canonical_url", ("robots_noindex", "robots_nofollow")],
            },
        ),
        (
            _("Medical review"),
            {"fields": ["medical_review_panel"]},
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
        css = {
            "all": [
                "articles/admin/seo-preview.css",
                "articles/admin/sortable-rows.css",
            ]
        }
        js = [
            "articles/admin/seo-preview.js",
            "articles/admin/sortable-rows.js",
            "articles/admin/tag-suggest.js",
        ]

    @admin.display(description=_("SEO"), ordering="seo_score")
    def seo_score_display(self, obj):
        return "—" if obj.seo_score is None else obj.seo_score

    @admin.display(description=_("SEO analysis"))
    def seo_panel(self, obj):
        """
        The analysis of the article as last saved, which seo-preview.js
        replaces with that of the form as typed (seo_analysis_view).
        """
        saved = obj is not None and obj.pk is not None
        return render_to_string(
            "admin/articles/article/seo_panel.html",
            {
                "analysis": analyse_article(obj) if saved else None,
                "article": obj,
                "analysis_url": reverse(
                    "admin:articles_article_seo_analysis", args=[obj.pk]
                )
                if saved
                else reverse("admin:articles_article_seo_analysis_add"),
            },
        )

    def seo_analysis_view(self, request, object_id=None):
        """
        The SEO analysis of the change form as posted, as JSON: the analysis
        a save runs, of what is typed, with nothing written.
        """
        obj, form = self.posted_form(request, object_id)
        # Cleaning sets the fields that are valid on the form's article,
        # which stays unsaved; a field still half typed keeps its old value.
        form.is_valid()
        analysis = analyse_article(
            form.instance,
            reference_count=self._typed_reference_count(request, form.instance),
        )
        return JsonResponse(
            {
                "score": analysis.score,
                "checks": [
                    {
                        "key": check.key,
                        "label": str(check.label),
                        "status": check.status,
                        "status_label": str(check.status_label),
                        "message": str(check.message),
                    }
                    for check in analysis.checks
                ],
            }
        )

    def _typed_reference_count(self, request, article):
        """
        The references the form's inline holds now: its stored rows and the
        ones filled in, less those marked for deletion. Read without
        validating each row, which would ask the database once per row.
        """
        formset_class = ReferenceInline(self.model, self.admin_site).get_formset(
            request, article
        )
        formset = formset_class(
            request.POST, instance=article, prefix=formset_class.get_default_prefix()
        )
        if not formset.management_form.is_valid():
            return 0
        stored = formset.initial_form_count()
        return sum(
            1
            for number, form in enumerate(formset.forms)
            if (number < stored or form.has_changed())
            and not form[DELETION_FIELD_NAME].value()
        )

    @admin.display(description=_("medical review"))
    def medical_review_panel(self, obj):
        """
        Who signed the article off and when, what waits for a reviewer, and
        the request for a sign-off: the only way an article comes to say
        "Medically reviewed by".
        """
        if obj is None or obj.pk is None:
            return _("Save the article, then ask a medical reviewer to sign it off.")
        user = audit.acting_user()
        return render_to_string(
            "admin/articles/article/medical_review_panel.html",
            {
                "article": obj,
                "required": sign_offs.required(obj),
                "approval": sign_offs.last_approval(obj),
                "covered": sign_offs.covers(obj, substantive=False),
                "waiting": sign_offs.waiting(obj),
                "reviewers": Author.objects.filter(
                    user__in=users_with_perm("articles.sign_off_article")
                ),
                "may_ask": user is not None
                and self.has_change_permission_for(user, obj),
                "request_url": reverse(
                    "admin:articles_article_sign_off_request", args=[obj.pk]
                ),
                "sign_off_url": reverse(
                    "admin:articles_article_sign_off", args=[obj.pk]
                ),
                "is_reviewer": user is not None
                and sign_offs.waiting(obj) is not None
                and sign_offs.waiting(obj).reviewer.user_id == user.pk,
            },
        )

    @admin.display(description=_("image"))
    def featured_thumbnail(self, obj):
        return thumbnail(obj.featured_image)

    def get_queryset(self, request):
        queryset = (
            super().get_queryset(request).prefetch_related("featured_image__renditions")
        )
        if can_edit_others(request.user):
            return queryset
        if can_sign_off(request.user) and not request.user.has_perm(
            "articles.change_article"
        ):
            # A reviewer reads what they were asked to sign off.
            return queryset.filter(sign_offs__reviewer__user=request.user).distinct()
        return queryset.owned_by(request.user)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "tags":
            field.widget.attrs["data-suggest-url"] = reverse(
                "admin:articles_tag_suggest"
            )
            field.help_text = _(
                "Separated by commas; an existing tag is reused whatever its case."
            )
        return field

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

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not can_edit_others(request.user):
            readonly.append("author")
        return readonly

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        profile = getattr(request.user, "author_profile", None)
        if profile is not None:
            initial.setdefault("author", profile.pk)
        return initial

    def render_preview(self, request, obj):
        return article_page.render_preview(
            request, Article.objects.for_detail().get(pk=obj.pk)
        )

    def review_done_url(self):
        return reverse("admin:articles_pendingarticle_changelist")

    def has_change_permission_for(self, user, obj):
        return may_change(user, obj, kind=self.kind)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<path:object_id>/sign-off/request/",
                view(self.request_sign_off_view),
                name="articles_article_sign_off_request",
            ),
            path(
                "<path:object_id>/sign-off/",
                view(self.sign_off_view),
                name="articles_article_sign_off",
            ),
            path(
                "seo-analysis/",
                view(self.seo_analysis_view),
                name="articles_article_seo_analysis_add",
            ),
            path(
                "<path:object_id>/seo-analysis/",
                view(self.seo_analysis_view),
                name="articles_article_seo_analysis",
            ),
            *super().get_urls(),
        ]

    def request_sign_off_view(self, request, object_id):
        """Ask the reviewer chosen in the medical review panel (posted with the change form)."""
        article = self._object_to_change(request, object_id)
        reviewer = Author.objects.filter(
            pk=_int(request.POST.get("sign_off_reviewer"))
        ).first()
        if reviewer is None:
            self.message_user(request, _("Choose a medical reviewer."), messages.ERROR)
            return redirect("admin:articles_article_change", article.pk)
        self.carry_out(
            request,
            lambda: publishing.request_sign_off(
                article,
                user=request.user,
                reviewer=reviewer,
                note=request.POST.get("sign_off_note", "").strip(),
            ),
            done=lambda _outcome: (
                _("%(name)s is asked to sign off “%(article)s”, by e-mail.")
                % {"name": reviewer, "article": article}
            ),
        )
        return redirect("admin:articles_article_change", article.pk)

    def sign_off_view(self, request, object_id):
        """The reviewer's page: what changed since the last sign-off, and the decision."""
        article = get_object_or_404(Article, pk=object_id)
        waiting = sign_offs.waiting(article)
        if waiting is None or not may_sign_off(request.user, waiting):
            raise PermissionDenied
        form = SignOffDecisionForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                publishing.decide_sign_off(
                    waiting,
                    user=request.user,
                    approve=form.cleaned_data["decision"] == "approve",
                    comment=form.cleaned_data["comment"],
                )
            except publishing.Refused as refusal:
                for message in refusal.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _("Your decision on “%s” is recorded, and its writer told.")
                    % article,
                    messages.SUCCESS,
                )
                return redirect("admin:articles_signoff_changelist")
        approved, diffs = sign_offs.changes_since_approval(article)
        context = {
            **self.admin_site.each_context(request),
            "title": _("Sign off “%s”") % article,
            "opts": self.opts,
            "article": article,
            "waiting": waiting,
            "approved": approved,
            "diffs": diffs,
            "form": form,
            "preview_url": preview.staff_url(article),
        }
        return TemplateResponse(
            request, "admin/articles/article/sign_off.html", context
        )

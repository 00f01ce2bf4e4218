"""
The image library: a grid of thumbnails with uploads of many files at once
(checked before anything is stored, see image_uploads), renditions, the
focal point, where each image is used, and the editor's image picker.
"""

from __future__ import annotations

import dataclasses
from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from articles import publishing, renditions
from articles.admin.content import ContentChangeAdminMixin
from articles.admin.image_uploads import ImageAdminForm, upload_files
from articles.models import (
    Article,
    Author,
    Image,
)

THUMBNAIL_WIDTH = 80
# The library's grid and the picker draw their tiles about this wide.
TILE_WIDTH = 300
RENDITIONS_PENDING = _(
    "The renditions are being made in the background; until they "
    "are ready, pages show the original without its metadata."
)


def thumbnail_url(image, width):
    """A rendition just wider than the thumbnail (WebP first), else the original."""
    if not image.file:
        return image.url
    wide_enough = [r for r in image.renditions_for() if r.width >= width]
    if not wide_enough:
        return image.url
    return min(wide_enough, key=lambda r: (r.width, r.format != "webp")).file.url


@dataclasses.dataclass(frozen=True)
class Thumbnail:
    """
    A small copy of an image to show in the admin, never the uploaded
    original: src is "" while its renditions are still being made.
    """

    image: Image
    src: str = ""
    width: int | None = None
    height: int | None = None


def small_copy(image, width=TILE_WIDTH) -> Thumbnail:
    """
    The smallest whole-picture rendition at least `width` wide (WebP first),
    else the widest there is (a narrow original caps them). An imported
    image that is still remote shows the old site's nearest copy, else its
    URL, which is what pages show of it too.
    """
    if not image.file:
        copies = sorted(image.source_renditions or [], key=lambda copy: copy["width"])
        wide_enough = [copy for copy in copies if copy["width"] >= width]
        return Thumbnail(
            image, wide_enough[0]["url"] if wide_enough else image.source_url
        )
    whole = image.renditions_for()
    if not whole:
        return Thumbnail(image)
    wide_enough = [r for r in whole if r.width >= width]
    rendition = (
        min(wide_enough, key=lambda r: (r.width, r.format != "webp"))
        if wide_enough
        else max(whole, key=lambda r: (r.width, r.format == "webp"))
    )
    return Thumbnail(image, rendition.file.url, rendition.width, rendition.height)


@dataclasses.dataclass(frozen=True)
class Tile:
    """An image as the grid (linking to its page) and the picker draw it."""

    image: Image
    thumbnail: Thumbnail
    change_url: str = ""
    is_new: bool = False


def thumbnail(image, width=THUMBNAIL_WIDTH):
    if image is None or not image.url:
        return "—"
    height = (
        round(width * image.height / image.width)
        if image.width and image.height
        else width
    )
    return format_html(
        '<img src="{}" alt="" width="{}" height="{}" loading="lazy" style="object-fit:cover">',
        thumbnail_url(image, width),
        width,
        height,
    )


@admin.register(Image)
class ImageAdmin(ContentChangeAdminMixin, admin.ModelAdmin):
    form = ImageAdminForm
    list_display = [
        "thumbnail",
        "__str__",
        "alt_text",
        "dimensions",
        "file_size",
        "created_at",
    ]
    list_display_links = ["thumbnail", "__str__"]
    list_filter = ["decorative", "format"]
    search_fields = ["title", "alt_text", "caption", "source_url", "sha256"]
    readonly_fields = [
        "preview",
        "width",
        "height",
        "file_size",
        "format",
        "sha256",
        "rendition_list",
        "usages",
        "wordpress_id",
        "uploaded_by",
        "created_at",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "preview",
                    ("focal_x", "focal_y"),
                    "file",
                    "source_url",
                    "title",
                    ("alt_text", "decorative"),
                    "caption",
                    "credit",
                ]
            },
        ),
        (
            _("File"),
            {
                "fields": [
                    ("width", "height", "file_size", "format"),
                    "sha256",
                    "rendition_list",
                    "wordpress_id",
                    ("uploaded_by", "created_at"),
                ]
            },
        ),
        (_("Where it is used"), {"fields": ["usages"]}),
    ]

    class Media:
        js = ["articles/focal_point.js"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("renditions")

    @admin.display(description=_("image"))
    def thumbnail(self, obj):
        return thumbnail(obj)

    @admin.display(description=_("preview"))
    def preview(self, obj):
        if not obj.pk or not obj.url:
            return "—"
        return format_html(
            '<div class="focal-point" style="position:relative;display:inline-block">'
            '<img src="{}" alt="" width="480" style="height:auto;cursor:crosshair" '
            'title="{}"><span class="focal-point__marker" style="position:absolute;'
            "left:{}%;top:{}%;width:18px;height:18px;margin:-9px 0 0 -9px;"
            'border:2px solid #fff;border-radius:50%;box-shadow:0 0 0 2px #000;pointer-events:none"></span></div>'
            "<p class=help>{}</p>",
            thumbnail_url(obj, 480),
            _("Click to set the focal point"),
            round(obj.focal_x * 100, 2),
            round(obj.focal_y * 100, 2),
            _(
                "Click the subject of the picture: cropped versions (cards, avatars) keep it in view."
            ),
        )

    @admin.display(description=_("size"))
    def dimensions(self, obj):
        return f"{obj.width} × {obj.height}" if obj.width and obj.height else "—"

    @admin.display(description=_("bytes"), ordering="bytes")
    def file_size(self, obj):
        return f"{obj.bytes / 1024:.0f} KB" if obj.bytes else "—"

    @admin.display(description=_("renditions"))
    def rendition_list(self, obj):
        rows = list(obj.renditions.all()) if obj.pk else []
        if not rows:
            return _(
                "None yet: they are being made in the background. Meanwhile "
                "pages show the original, stored without its metadata."
            )
        return ", ".join(
            f"{r.width}w {r.format}{' ' + r.crop if r.crop else ''} ({r.bytes / 1024:.0f} KB)"
            for r in rows
        )

    @admin.display(description=_("used in"))
    def usages(self, obj):
        if not obj.pk:
            return "—"
        articles = Article.objects.filter(
            models.Q(featured_image=obj) | models.Q(body_images=obj)
        ).distinct()
        authors = Author.objects.filter(photo=obj)
        links = [
            format_html(
                '<li><a href="{}">{}</a></li>',
                reverse("admin:articles_article_change", args=[a.pk]),
                a,
            )
            for a in articles
        ] + [
            format_html(
                '<li><a href="{}">{}</a> ({})</li>',
                reverse("admin:articles_author_change", args=[a.pk]),
                a,
                _("author photo"),
            )
            for a in authors
        ]
        if not links:
            return _("Not used yet.")
        return format_html("<ul>{}</ul>", mark_safe("".join(links)))

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        failure = getattr(request, "media_storage_failure", "")
        return type(form.__name__, (form,), {"storage_failure": failure})

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """
        When the media storage fails while saving, the admin's transaction
        has undone the rows and renditions.store() the file:
        show the same form again, with what was typed and the reason.
        """
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except renditions.StorageFailed as failure:
            request.media_storage_failure = str(failure)
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.uploaded_by = request.user
        new_file = "file" in form.changed_data and bool(obj.file)
        focal_point_moved = bool({"focal_x", "focal_y"} & set(form.changed_data))
        # The renditions are made in the background: the editor waits only
        # for the original to be stored, and no page ever makes one.
        publishing.save_image(
            obj,
            user=request.user,
            new_file=new_file,
            focal_point_moved=focal_point_moved,
        )
        if new_file or focal_point_moved:
            self.message_user(request, RENDITIONS_PENDING, messages.INFO)

    def get_deleted_objects(self, objs, request):
        """Warn on the confirmation page which articles lose the pictures."""
        if request.POST.get("post") != "yes":
            in_use = Article.objects.filter(
                models.Q(featured_image__in=objs) | models.Q(body_images__in=objs)
            ).distinct()
            titles = ", ".join(f"“{article}”" for article in in_use)
            if titles:
                self.message_user(
                    request,
                    _(
                        "In use: deleting removes the picture from these articles: %s. "
                        "The articles themselves are kept."
                    )
                    % titles,
                    messages.WARNING,
                )
        return super().get_deleted_objects(objs, request)

    def delete_model(self, request, obj):
        files = renditions.file_names(obj)
        super().delete_model(request, obj)
        renditions.delete_files(files)

    def delete_queryset(self, request, queryset):
        files = [
            name
            for image in queryset.prefetch_related("renditions")
            for name in renditions.file_names(image)
        ]
        super().delete_queryset(request, queryset)
        renditions.delete_files(files)

    def get_changelist_instance(self, request):
        """The page of the library, with a tile to draw for each image."""
        changelist = super().get_changelist_instance(request)
        changelist.tiles = [
            Tile(image, small_copy(image), change_url=changelist.url_for_result(image))
            for image in changelist.result_list
        ]
        return changelist

    def get_urls(self):
        def view(function, route, name):
            return path(route, self.admin_site.admin_view(function), name=name)

        return [
            view(self.picker_view, "picker/", "articles_image_picker"),
            view(self.upload_view, "upload/", "articles_image_upload"),
            view(self.thumbnail_view, "thumbnail/", "articles_image_thumbnail"),
            *super().get_urls(),
        ]

    @method_decorator(require_POST)
    def upload_view(self, request):
        """
        Add the files chosen or dropped on the library page or in the
        picker, each checked and saved on its own; the page they came from
        says what became of each.
        """
        if not self.has_add_permission(request):
            raise PermissionDenied
        uploads = upload_files(request.FILES.getlist("files"), user=request.user)
        self.report_uploads(request, uploads)
        if "CKEditorFuncNum" not in request.POST:
            return redirect("admin:articles_image_changelist")
        query = {
            "CKEditorFuncNum": request.POST["CKEditorFuncNum"],
            "new": [upload.image.pk for upload in uploads if upload.image],
        }
        return redirect(
            f"{reverse('admin:articles_image_picker')}?{urlencode(query, doseq=True)}"
        )

    def report_uploads(self, request, uploads):
        saved = [upload.image for upload in uploads if upload.image]
        if not uploads:
            self.message_user(
                request, gettext("Choose or drop at least one file."), messages.WARNING
            )
        if saved:
            self.message_user(
                request,
                format_html(
                    "{} {}",
                    ngettext(
                        "Uploaded %(count)d image:",
                        "Uploaded %(count)d images:",
                        len(saved),
                    )
                    % {"count": len(saved)},
                    format_html_join(", ", "“{}”", ((image,) for image in saved)),
                ),
                messages.SUCCESS,
            )
            self.message_user(request, RENDITIONS_PENDING, messages.INFO)
        for upload in uploads:
            if upload.errors:
                self.message_user(
                    request,
                    format_html(
                        gettext("“{name}” was not uploaded: {reason}"),
                        name=upload.name,
                        reason=format_html_join(
                            " ", "{}", ((e,) for e in upload.errors)
                        ),
                    ),
                    messages.ERROR,
                )

    def thumbnail_view(self, request):
        """The thumbnail of one image, for the image choice of a change form."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        image_id = request.GET.get("id", "")
        image = get_object_or_404(
            self.get_queryset(request), pk=image_id if image_id.isdigit() else None
        )
        return TemplateResponse(
            request,
            "admin/articles/image/thumbnail.html",
            {"thumbnail": small_copy(image)},
        )

    def picker_view(self, request):
        """
        The image browser the body editor opens to place a library image;
        whoever may add images uploads new ones here and chooses them at
        once, before their renditions exist (pages show the original until then).
        """
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request)
        query = request.GET.get("q", "").strip()
        if query:
            queryset, _duplicates = self.get_search_results(request, queryset, query)
        new = {int(pk) for pk in request.GET.getlist("new") if pk.isdigit()}
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose an image"),
            "tiles": [
                Tile(image, small_copy(image), is_new=image.pk in new)
                for image in queryset[:60]
            ],
            "query": query,
            "callback": request.GET.get("CKEditorFuncNum", ""),
            "has_add_permission": self.has_add_permission(request),
            "opts": self.model._meta,
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

"""
The image library: uploads checked before anything is stored, renditions,
the focal point, where each image is used, and the editor's image picker.
"""

import dataclasses

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from articles import publishing, renditions
from articles.admin.content import ContentChangeAdminMixin
from articles.models import (
    Article,
    Author,
    Image,
)

THUMBNAIL_WIDTH = 80


def thumbnail_url(image, width):
    """A rendition just wider than the thumbnail (WebP first), else the original."""
    if not image.file:
        return image.url
    wide_enough = [r for r in image.renditions_for() if r.width >= width]
    if not wide_enough:
        return image.url
    return min(wide_enough, key=lambda r: (r.width, r.format != "webp")).file.url


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


class ImageAdminForm(forms.ModelForm):
    """
    The library's upload form: every file is checked (see
    renditions.inspect_upload) before anything is stored, and a file already
    in the library is offered instead of a duplicate.
    """

    # A plain FileField: the checks and their messages are ours, not
    # forms.ImageField's generic "Upload a valid image".
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_(
            "JPEG, PNG, GIF, WebP or AVIF. SVG is not accepted (it can contain scripts)."
        ),
    )

    class Meta:
        model = Image
        fields = [
            "file",
            "source_url",
            "title",
            "alt_text",
            "decorative",
            "caption",
            "credit",
            "focal_x",
            "focal_y",
        ]
        widgets = {
            "focal_x": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
            "focal_y": forms.NumberInput(attrs={"step": "0.01", "min": 0, "max": 1}),
        }

    upload_info = None
    # Set by ImageAdmin when the storage failed on the first attempt to save.
    storage_failure = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out, the focal point stays where it was (the centre at first).
        for name in ("focal_x", "focal_y"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_focal_x(self):
        value = self.cleaned_data.get("focal_x")
        return self.instance.focal_x if value is None else value

    def clean_focal_y(self):
        value = self.cleaned_data.get("focal_y")
        return self.instance.focal_y if value is None else value

    def clean_file(self):
        """The upload, checked, and stored without its metadata (GPS, camera, owner)."""
        uploaded = self.cleaned_data.get("file")
        if not isinstance(uploaded, UploadedFile):
            return uploaded
        info = renditions.inspect_upload(uploaded)
        duplicate = renditions.duplicate_of(info, exclude_pk=self.instance.pk)
        if duplicate is not None:
            raise forms.ValidationError(
                format_html(
                    'This file is already in the library as <a href="{}">{}</a>: '
                    "use that image instead of uploading it again.",
                    reverse("admin:articles_image_change", args=[duplicate.pk]),
                    duplicate,
                ),
                code="duplicate",
            )
        uploaded.seek(0)
        original = renditions.stripped_original(uploaded.read(), name=uploaded.name)
        self.upload_info = dataclasses.replace(info, bytes=original.size)
        return original

    def clean(self):
        cleaned_data = super().clean()
        if self.storage_failure:
            # On the form, not the file field: that would drop the file from
            # cleaned_data, and the model would then ask for a file as well.
            self.add_error(None, self.storage_failure)
        return cleaned_data

    def save(self, commit=True):
        if self.upload_info is not None:
            renditions.describe(self.instance, self.upload_info)
        return super().save(commit)


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
            self.message_user(
                request,
                _(
                    "The renditions are being made in the background; until they "
                    "are ready, pages show the original without its metadata."
                ),
                messages.INFO,
            )

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

    def get_urls(self):
        picker = path(
            "picker/",
            self.admin_site.admin_view(self.picker_view),
            name="articles_image_picker",
        )
        return [picker, *super().get_urls()]

    def picker_view(self, request):
        """The image browser the body editor opens to place a library image."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        queryset = self.get_queryset(request)
        query = request.GET.get("q", "").strip()
        if query:
            queryset = queryset.filter(title__icontains=query) | queryset.filter(
                alt_text__icontains=query
            )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Choose an image"),
            "images": queryset[:60],
            "query": query,
            "callback": request.GET.get("CKEditorFuncNum", ""),
            "opts": self.model._meta,
            "is_popup": True,
        }
        return TemplateResponse(request, "admin/articles/image/picker.html", context)

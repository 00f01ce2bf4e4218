"""
Uploads to the image library: the form that checks one file before anything
is stored, and the upload of many files at once (the library's drop zone,
the picker), each file checked by that form and saved through the
publishing service on its own, so that a refused file keeps no other out.
"""

import dataclasses
from pathlib import Path

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from articles import publishing, renditions
from articles.models import Image


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


@dataclasses.dataclass(frozen=True)
class Upload:
    """What became of one uploaded file: the image it was saved as, or why it was refused."""

    name: str
    image: Image | None = None
    errors: tuple[str, ...] = ()


def upload_files(files, *, user) -> list[Upload]:
    """
    Add each file to the library as its own image, titled after its name.
    A file the checks or the storage refuse is reported and leaves nothing
    behind (save_image rolls its rows back and deletes what it wrote);
    the files before and after it are saved all the same.
    """
    return [_upload(uploaded, user=user) for uploaded in files]


def _upload(uploaded, *, user) -> Upload:
    form = ImageAdminForm(
        data={"title": title_from_name(uploaded.name)}, files={"file": uploaded}
    )
    if not form.is_valid():
        # A refused file also leaves the image without a file, which the
        # model then complains of: the file's own reason says it all.
        errors = form.errors.get("file") or [
            message for messages in form.errors.values() for message in messages
        ]
        return Upload(uploaded.name, errors=tuple(errors))
    image = form.save(commit=False)
    image.uploaded_by = user
    try:
        publishing.save_image(image, user=user, new_file=True, focal_point_moved=False)
    except renditions.StorageFailed as failure:
        return Upload(uploaded.name, errors=(str(failure),))
    return Upload(uploaded.name, image=image)


def title_from_name(name: str) -> str:
    """A first title for an uploaded file: "knee-to_chest.jpg" is "knee to chest"."""
    stem = Path(name or "").stem.replace("_", " ").replace("-", " ")
    return " ".join(stem.split())[: Image._meta.get_field("title").max_length]

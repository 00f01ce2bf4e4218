"""
Autocomplete widgets that survive a crafted POST: Django's look the
submitted values up as ids to show them again, and a value that is no id
("None", "abc") raises instead of letting the form say "Select a valid
choice". The choice of a library image shows its thumbnail.
"""

from django import forms
from django.contrib.admin import widgets
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

from articles.admin.images import small_copy
from articles.models import Image


class _ValidIdsOnly:
    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        target = remote.model._meta.get_field(
            getattr(remote, "field_name", None) or remote.model._meta.pk.name
        )
        return super().optgroups(name, [v for v in value if _is_id(target, v)], attr)


def _is_id(field, value):
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class AutocompleteSelect(_ValidIdsOnly, widgets.AutocompleteSelect):
    pass


class ImageAutocompleteSelect(AutocompleteSelect):
    """
    The choice of a library image (a featured image), with the chosen
    image's thumbnail below it, which image-choice.js replaces when the
    choice changes.
    """

    @property
    def media(self):
        # Listed after jquery.init.js, which defines the django.jQuery it uses.
        return super().media + forms.Media(
            js=["admin/js/jquery.init.js", "articles/admin/image-choice.js"],
            css={"screen": ["articles/admin/image-library.css"]},
        )

    def render(self, name, value, attrs=None, renderer=None):
        chosen = (
            Image.objects.prefetch_related("renditions").filter(pk=value).first()
            if value is not None and _is_id(Image._meta.pk, value)
            else None
        )
        return render_to_string(
            "admin/articles/image/choice_widget.html",
            {
                "select": super().render(name, value, attrs, renderer),
                "thumbnail": small_copy(chosen) if chosen else None,
            },
        )


class AutocompleteSelectMultiple(_ValidIdsOnly, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdminMixin:
    """Use these widgets for the model admin's autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            widget = (
                ImageAutocompleteSelect
                if db_field.remote_field.model is Image
                else AutocompleteSelect
            )
            kwargs["widget"] = widget(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

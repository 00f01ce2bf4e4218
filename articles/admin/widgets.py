"""
Autocomplete widgets that survive a crafted POST: Django's look the
submitted values up as ids to show them again, and a value that is no id
("None", "abc") raises instead of letting the form say "Select a valid
choice".
"""

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


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


class AutocompleteSelectMultiple(_ValidIdsOnly, widgets.AutocompleteSelectMultiple):
    pass


class SafeAutocompleteAdminMixin:
    """Use these widgets for the model admin's autocomplete_fields."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)

"""
The admin of staff accounts: invitations by e-mail, roles as groups, and
deactivation instead of deletion for anyone who authored content.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import UserChangeForm
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from articles import access
from articles.models import Preferences


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail"))
    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ModelChoiceField(
        label=_("Role"),
        queryset=Group.objects.order_by("name"),
        help_text=_("Authors write their own articles; Editors publish everyone's."),
    )

    def clean_email(self):
        email = self.cleaned_data["email"].lower()
        if User.objects.filter(email__iexact=email).exists() or (
            User.objects.filter(username__iexact=email).exists()
        ):
            raise forms.ValidationError(
                _("Someone with this e-mail already has an account.")
            )
        return email


class StaffUserChangeForm(UserChangeForm):
    role = forms.ModelChoiceField(
        label=_("role"),
        queryset=Group.objects.order_by("name"),
        required=False,
        empty_label=_("No role (no access to the admin's content)"),
        help_text=_(
            "Authors write their own articles; Editors publish everyone's; "
            "Medical reviewers sign off health articles; Administrators also "
            "manage people."
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["role"].initial = self.instance.groups.order_by("name").first()


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = Preferences
        fields = ["language"]


def preferences_view(request):
    """Everyone's own preferences (no permission needed: they concern only them)."""
    preferences = Preferences.objects.filter(user=request.user).first()
    form = PreferencesForm(
        request.POST or None,
        instance=preferences or Preferences(user=request.user),
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        # In the language just chosen.
        chosen = form.instance.language or translation.get_language()
        with translation.override(chosen):
            messages.success(
                request, translation.gettext("Your preferences are saved.")
            )
        return redirect("admin:preferences")
    context = {
        **admin.site.each_context(request),
        "form": form,
        "title": _("Your preferences"),
    }
    return TemplateResponse(request, "admin/preferences.html", context)


class PreferencesInline(admin.StackedInline):
    model = Preferences
    can_delete = False
    fields = ["language"]


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    form = StaffUserChangeForm
    inlines = [PreferencesInline]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Person"), {"fields": ["first_name", "last_name", "email"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "role"]}),
        (
            _("Special permissions"),
            {
                "classes": ["collapse"],
                "fields": ["is_superuser", "user_permissions"],
            },
        ),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    list_display = [
        "username",
        "email",
        "get_full_name",
        "roles",
        "is_active",
        "last_login",
    ]
    list_filter = ["is_active", "is_staff", "groups"]
    actions = ["deactivate"]

    def get_urls(self):
        invite = self.admin_site.admin_view(self.invite_view)
        return [path("invite/", invite, name="auth_user_invite"), *super().get_urls()]

    @admin.display(description=_("roles"))
    def roles(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "role" in form.changed_data:
            role = form.cleaned_data["role"]
            # One role a person: the audit log records the change of groups.
            form.instance.groups.set([role] if role is not None else [])

    def invite_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = InvitationForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            user = access.invite(
                **form.cleaned_data, invited_by=request.user, request=request
            )
            self.log_addition(request, user, [{"added": {}}])
            messages.success(request, _("Invitation sent to %s.") % user.email)
            return redirect("admin:auth_user_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "form": form,
            "title": _("Invite a person"),
        }
        return TemplateResponse(request, "admin/auth/user/invite.html", context)

    @admin.action(description=_("Deactivate selected users"), permissions=["change"])
    def deactivate(self, request, queryset):
        count = queryset.exclude(pk=request.user.pk).update(is_active=False)
        self.message_user(
            request,
            ngettext("Deactivated %d user.", "Deactivated %d users.", count) % count,
        )

    def delete_view(self, request, object_id, extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and access.has_authored_content(user):
            self.message_user(
                request,
                _(
                    "%s authored content and cannot be deleted: deactivate the "
                    "account instead (untick “Active”)."
                )
                % user.get_username(),
                messages.ERROR,
            )
            return redirect(reverse("admin:auth_user_change", args=[user.pk]))
        return super().delete_view(request, object_id, extra_context)

    def get_deleted_objects(self, objs, request):
        """List users who authored content as protected, so a bulk delete is refused."""
        to_delete, model_count, perms_needed, protected = super().get_deleted_objects(
            objs, request
        )
        for user in objs:
            if access.has_authored_content(user):
                protected.append(
                    _("%s authored content: deactivate the account instead.")
                    % user.get_username()
                )
        return to_delete, model_count, perms_needed, protected

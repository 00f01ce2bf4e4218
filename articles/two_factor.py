"""
Optional two-factor sign-in for staff (TOTP, django-otp): anyone with a
confirmed authenticator app must give its code; with REQUIRE_ADMIN_2FA on,
administrators must set one up before they can use the admin.
"""

import django_otp
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from articles.access import admin_context
from articles.roles import ADMINISTRATOR


def confirmed_device(user):
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def must_use_two_factor(user):
    return settings.REQUIRE_ADMIN_2FA and (
        user.is_superuser or user.groups.filter(name=ADMINISTRATOR).exists()
    )


class TwoFactorAuthenticationForm(AdminAuthenticationForm):
    """The admin login, asking for the authenticator's code of those who have one."""

    otp_token = forms.CharField(
        label=gettext_lazy("Authenticator code"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
        help_text=gettext_lazy("Only if you set up two-factor sign-in."),
    )

    def clean(self):
        cleaned_data = super().clean()
        user = self.get_user()
        device = confirmed_device(user) if user else None
        if device is not None:
            token = (self.cleaned_data.get("otp_token") or "").replace(" ", "")
            if not token or not device.verify_token(token):
                raise forms.ValidationError(
                    _("Enter the current code from your authenticator app."),
                    code="invalid_otp",
                )
            # django_otp marks the session as verified when the login happens.
            user.otp_device = device
        return cleaned_data


class TwoFactorMiddleware:
    """Send administrators without two-factor to its setup page while it is required."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and request.path.startswith(reverse("admin:index"))
            and request.path
            not in (reverse("two_factor_setup"), reverse("admin:logout"))
            and not user.is_verified()
            and must_use_two_factor(user)
        ):
            return redirect("two_factor_setup")
        return self.get_response(request)


class ConfirmForm(forms.Form):
    otp_token = forms.CharField(label=gettext_lazy("Code from the app"), max_length=10)


@login_required
def setup(request):
    """Show a new authenticator key and confirm it with a first code."""
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "Authenticator app"}
    )
    form = ConfirmForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"].replace(" ", "")):
            TOTPDevice.objects.filter(user=request.user, confirmed=True).delete()
            device.confirmed = True
            device.save()
            django_otp.login(request, device)
            messages.success(request, _("Two-factor sign-in is on."))
            return redirect("admin:index")
        form.add_error("otp_token", _("That code is not right; try the current one."))
    context = {
        **admin_context(),
        "form": form,
        "config_url": device.config_url,
        "secret": device.config_url.split("secret=")[1].split("&")[0],
        "title": _("Set up two-factor sign-in"),
        "required": must_use_two_factor(request.user),
    }
    return render(request, "registration/two_factor_setup.html", context)

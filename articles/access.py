"""
Who may sign in to the admin: the client address that login lockouts count
by, and invitations of new staff.
"""

from urllib.parse import urljoin

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.translation import gettext as _

from articles import site_settings


def client_ip(request):
    """
    Return the address a request came from, as the login lockout counts it.

    Behind PROXY_COUNT trusted proxies the client is the entry that the
    nearest of them appended to X-Forwarded-For; the entries before it are
    whatever the client chose to send, so they are never trusted.
    """
    count = settings.PROXY_COUNT
    if count:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


# Password reset
# ------------------------------------------------------------------------------


class StaffPasswordResetForm(PasswordResetForm):
    """Send reset links to staff only: readers have no accounts to reset."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if user.is_staff)


def admin_context():
    """What the admin's own templates expect, for views outside the admin site."""
    return {
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "has_permission": False,
    }


def password_reset_urls(prefix):
    """The admin's "Forgotten your password?" views, under the admin's path."""
    return [
        path(
            f"{prefix}password_reset/",
            auth_views.PasswordResetView.as_view(
                form_class=StaffPasswordResetForm, extra_context=admin_context()
            ),
            name="admin_password_reset",
        ),
        path(
            f"{prefix}password_reset/done/",
            auth_views.PasswordResetDoneView.as_view(extra_context=admin_context()),
            name="password_reset_done",
        ),
        path(
            f"{prefix}reset/<uidb64>/<token>/",
            auth_views.PasswordResetConfirmView.as_view(extra_context=admin_context()),
            name="password_reset_confirm",
        ),
        path(
            f"{prefix}reset/done/",
            auth_views.PasswordResetCompleteView.as_view(extra_context=admin_context()),
            name="password_reset_complete",
        ),
        path(
            f"{prefix}invitation/<str:token>/",
            accept_invitation,
            name="accept_invitation",
        ),
    ]


# Invitations
# ------------------------------------------------------------------------------

INVITATION_SALT = "articles.access.invitation"


def invitation_token(user):
    """
    Return a signed token for the invitation link. It names the user and a
    fragment of their (unusable) password, so it works once: setting a
    password makes it invalid, as a newer invitation does.
    """
    return signing.dumps(
        {"user": user.pk, "state": user.password[-12:]}, salt=INVITATION_SALT
    )


def invited_user(token):
    """Return the user a valid, unexpired, unused invitation token names, or None."""
    try:
        data = signing.loads(
            token, salt=INVITATION_SALT, max_age=settings.INVITATION_MAX_AGE
        )
    except signing.BadSignature:
        return None
    user = get_user_model().objects.filter(pk=data.get("user")).first()
    if user is None or user.has_usable_password() or user.is_active:
        return None
    if user.password[-12:] != data.get("state"):
        return None
    return user


def invite(*, email, first_name, last_name, role, invited_by, request):
    """Create an inactive staff user in a role and e-mail them the link to set a password."""
    User = get_user_model()
    user = User(
        username=email,
        email=email,
        first_name=first_name,
        last_name=last_name,
        is_staff=True,
        is_active=False,
    )
    user.set_unusable_password()
    user.save()
    user.groups.add(role)
    from articles import tasks  # It imports this module for send_invitation.

    # The e-mail leaves the request, once the user is stored; the task makes
    # the link from the site's address, so no secret is queued.
    site_url = request.build_absolute_uri("/")
    transaction.on_commit(
        lambda: tasks.send_invitation_mail.enqueue(
            user.pk, invited_by_id=invited_by.pk, site_url=site_url
        )
    )
    return user


def send_invitation(user, *, invited_by, site_url: str) -> None:
    """E-mail an invited user the link to set their password."""
    path = reverse("accept_invitation", args=[invitation_token(user)])
    context = {
        "user": user,
        "link": urljoin(site_url, path),
        "invited_by": invited_by,
        "site_name": site_settings.current().name,
        "days": settings.INVITATION_MAX_AGE // (24 * 60 * 60),
    }
    send_mail(
        subject=render_to_string(
            "registration/invitation_subject.txt", context
        ).strip(),
        message=render_to_string("registration/invitation_email.txt", context),
        from_email=None,
        recipient_list=[user.email],
    )


def accept_invitation(request, token):
    """Let an invited person choose a password; that activates their account."""
    user = invited_user(token)
    form = SetPasswordForm(user, request.POST or None) if user else None
    if form is not None and request.method == "POST" and form.is_valid():
        user.is_active = True
        form.save()
        messages.success(
            request, _("Your account is ready. Sign in with your new password.")
        )
        return redirect("admin:login")
    context = {
        **admin_context(),
        "form": form,
        "validlink": user is not None,
        "title": _("Accept your invitation"),
    }
    return render(request, "registration/invitation_accept.html", context)


# Deactivate, never delete
# ------------------------------------------------------------------------------


def has_authored_content(user):
    """
    Whether a user wrote, reviewed or uploaded anything. Such a user is
    deactivated instead of deleted, so that the record of who did what stays.
    """
    from articles.models import Article, Image

    return (
        Article.objects.filter(author__user=user).exists()
        or Article.objects.filter(reviewer__user=user).exists()
        or Image.objects.filter(uploaded_by=user).exists()
    )

"""Staff accounts: password reset by e-mail, invitations, and deactivation instead of deletion."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group, User
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from articles.access import invitation_token
from articles.roles import profile_for
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def link_in(message):
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


# Password reset
# ------------------------------------------------------------------------------


def test_admin_login_offers_the_forgotten_password_link(client):
    response = client.get(reverse("admin:login"))

    assert reverse("admin_password_reset") in response.content.decode()


def test_staff_resets_a_forgotten_password_by_e_mail(client):
    user = make_user("Editor", email="eva@example.org")

    response = client.post(
        reverse("admin_password_reset"), {"email": "eva@example.org"}
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = path_of(link_in(mail.outbox[0]))
    form_url = client.get(link).url  # Django hides the token behind a redirect.
    response = client.post(
        form_url,
        {
            "new_password1": "a-new-Long-passphrase",
            "new_password2": "a-new-Long-passphrase",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("a-new-Long-passphrase")
    assert client.get(link).status_code == 200  # A used link shows "invalid".
    assert "invalid" in client.get(link, follow=True).content.decode()


def test_reset_pages_look_like_the_admin(client):
    response = client.get(reverse("admin_password_reset"))

    assert response.status_code == 200
    assert "admin/css/base.css" in response.content.decode()


def test_reset_mail_goes_to_staff_only(client):
    make_user(None, email="reader@example.org")

    client.post(reverse("admin_password_reset"), {"email": "reader@example.org"})

    assert mail.outbox == []


def test_weak_password_is_refused_on_reset(client):
    make_user("Editor", email="eva@example.org")
    client.post(reverse("admin_password_reset"), {"email": "eva@example.org"})
    form_url = client.get(path_of(link_in(mail.outbox[0]))).url

    response = client.post(
        form_url, {"new_password1": "password", "new_password2": "password"}
    )

    assert response.status_code == 200
    assert "too common" in response.content.decode()


@pytest.mark.parametrize("weak", ["password", "12345678", "short"])
def test_password_validators_reject_a_weak_password(weak):
    user = make_user("Editor")

    with pytest.raises(ValidationError):
        password_validation.validate_password(weak, user)


def test_staff_sessions_end_with_the_browser(settings):
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE <= 60 * 60 * 12


# Invitations
# ------------------------------------------------------------------------------


def invite(client, **fields):
    data = {
        "email": "nina@example.org",
        "first_name": "Nina",
        "last_name": "Jansen",
        "role": Group.objects.get(name="Author").pk,
    } | fields
    return client.post(reverse("admin:auth_user_invite"), data)


def test_administrator_invites_an_inactive_user_without_a_password(
    client, administrator
):
    client.force_login(administrator)

    response = invite(client)

    assert response.status_code == 302
    user = User.objects.get(email="nina@example.org")
    assert not user.is_active
    assert user.is_staff
    assert not user.has_usable_password()
    assert list(user.groups.values_list("name", flat=True)) == ["Author"]
    assert mail.outbox[0].to == ["nina@example.org"]


def test_invitee_sets_a_password_which_activates_them(client, administrator):
    client.force_login(administrator)
    invite(client)
    client.logout()
    link = path_of(link_in(mail.outbox[0]))

    response = client.post(
        link,
        {
            "new_password1": "a-good-Long-passphrase",
            "new_password2": "a-good-Long-passphrase",
        },
    )

    assert response.status_code == 302
    user = User.objects.get(email="nina@example.org")
    assert user.is_active
    assert user.check_password("a-good-Long-passphrase")
    # The link works once.
    assert "invalid" in client.get(link).content.decode()


def test_invitation_refuses_a_weak_password(client, administrator):
    client.force_login(administrator)
    invite(client)
    link = path_of(link_in(mail.outbox[0]))

    response = client.post(
        link, {"new_password1": "12345678", "new_password2": "12345678"}
    )

    assert response.status_code == 200
    assert not User.objects.get(email="nina@example.org").is_active


def test_invitation_expires(client, administrator, settings, monkeypatch):
    client.force_login(administrator)
    invite(client)
    user = User.objects.get(email="nina@example.org")
    token = invitation_token(user)
    real_time = signing.time.time
    monkeypatch.setattr(
        signing.time,
        "time",
        lambda: real_time() + settings.INVITATION_MAX_AGE + 60,
    )

    response = client.get(reverse("accept_invitation", args=[token]))

    assert "invalid" in response.content.decode()
    assert "new_password1" not in response.content.decode()


def test_tampered_invitation_is_invalid(client):
    response = client.get(reverse("accept_invitation", args=["nonsense:token"]))

    assert "invalid" in response.content.decode()


def test_editors_cannot_invite(client, editor):
    client.force_login(editor)

    response = invite(client)

    assert response.status_code == 403
    assert not User.objects.filter(email="nina@example.org").exists()


def test_existing_e_mail_cannot_be_invited_twice(client, administrator):
    client.force_login(administrator)
    make_user("Editor", email="nina@example.org")

    response = invite(client)

    assert response.status_code == 200
    assert mail.outbox == []


def test_administrator_assigns_roles_in_the_user_admin(client, administrator):
    client.force_login(administrator)
    user = make_user("Author")

    response = client.get(reverse("admin:auth_user_change", args=[user.pk]))

    assert 'name="role"' in response.content.decode()


# Deactivate, never delete
# ------------------------------------------------------------------------------


def test_user_who_authored_content_cannot_be_deleted(client, administrator):
    author = make_user("Author")
    make_article(author=profile_for(author))
    client.force_login(administrator)

    response = client.post(
        reverse("admin:auth_user_delete", args=[author.pk]),
        {"post": "yes"},
        follow=True,
    )

    assert User.objects.filter(pk=author.pk).exists()
    assert "deactivate" in response.content.decode()


def test_bulk_delete_with_a_user_who_authored_content_is_refused(client, administrator):
    author, idle = make_user("Author"), make_user("Author")
    make_article(author=profile_for(author))
    client.force_login(administrator)

    response = client.post(
        reverse("admin:auth_user_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": [author.pk, idle.pk],
            "post": "yes",
        },
    )

    assert User.objects.filter(pk__in=[author.pk, idle.pk]).count() == 2
    assert "deactivate the account instead" in response.content.decode()


def test_user_without_content_can_be_deleted(client, administrator):
    idle = make_user("Author")
    client.force_login(administrator)

    client.post(reverse("admin:auth_user_delete", args=[idle.pk]), {"post": "yes"})

    assert not User.objects.filter(pk=idle.pk).exists()


def test_deactivate_action_keeps_the_account_and_the_byline(client, administrator):
    author = make_user("Author")
    article = make_article(author=profile_for(author))
    client.force_login(administrator)

    client.post(
        reverse("admin:auth_user_changelist"),
        {"action": "deactivate", "_selected_action": [author.pk]},
    )

    author.refresh_from_db()
    assert not author.is_active
    assert client.get(article.get_absolute_url()).status_code == 200
    assert (
        article.author.display_name
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_byline_stays_when_a_login_is_removed_anyway(client):
    """Author.user is SET_NULL: a deleted login (e.g. from the shell) leaves the byline."""
    author = make_user("Author")
    article = make_article(author=profile_for(author))

    author.delete()

    article.refresh_from_db()
    assert article.author is not None
    assert article.author.user is None
    assert (
        article.author.display_name
        in client.get(article.get_absolute_url()).content.decode()
    )


def test_deactivated_user_cannot_sign_in(client):
    user = make_user("Editor", is_active=False)

    response = client.post(
        reverse("admin:login"),
        {"username": user.username, "password": "correct-horse-battery"},
        REMOTE_ADDR="203.0.113.5",
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_invitation_link_expiry_default_is_seven_days(settings):
    assert timedelta(seconds=settings.INVITATION_MAX_AGE) == timedelta(days=7)

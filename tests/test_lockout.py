"""Brute-force protection of the admin login (django-axes)."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Every sign-in hashes a password; the real hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client, username, password, *, ip="203.0.113.7"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def fail_five_times(client, username, *, ip="203.0.113.7"):
    for _ in range(5):
        sign_in(client, username, "wrong password", ip=ip)


def test_right_password_signs_in(client):
    user = make_user("Editor")

    response = sign_in(client, user.username, PASSWORD)

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_five_wrong_passwords_lock_the_account_even_for_the_right_password(client):
    user = make_user("Editor")
    fail_five_times(client, user.username)

    response = sign_in(client, user.username, PASSWORD)

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Too many failed sign-ins" in response.content.decode()
    assert "Try again in 30 minutes" in response.content.decode()


def test_four_wrong_passwords_do_not_lock(client):
    user = make_user("Editor")
    for _ in range(4):
        sign_in(client, user.username, "wrong password")

    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_wrong_guesses_from_one_address_never_lock_the_owner_out_elsewhere(client):
    user = make_user("Editor")
    fail_five_times(client, user.username, ip="203.0.113.7")

    assert sign_in(client, user.username, PASSWORD, ip="203.0.113.7").status_code == 429
    assert (
        sign_in(client, user.username, PASSWORD, ip="198.51.100.1").status_code == 302
    )


def test_unknown_names_never_lock_the_office_address(client):
    colleague = make_user("Editor")
    for name in ("admin", "root", "administrator"):
        fail_five_times(client, name, ip="203.0.113.7")

    response = sign_in(client, colleague.username, PASSWORD, ip="203.0.113.7")

    assert response.status_code == 302


def test_a_guesser_stays_locked_for_that_account_whatever_the_password(client):
    user = make_user("Editor")
    fail_five_times(client, user.username, ip="203.0.113.7")

    for password in ("another guess", PASSWORD):
        assert sign_in(client, user.username, password).status_code == 429


def test_other_accounts_from_the_guessing_address_still_sign_in(client):
    guessed, other = make_user("Editor"), make_user("Editor")
    fail_five_times(client, guessed.username, ip="203.0.113.7")

    assert (
        sign_in(client, other.username, PASSWORD, ip="203.0.113.7").status_code == 302
    )


def test_other_addresses_are_not_locked_by_an_address(client):
    guessed, other = make_user("Editor"), make_user("Editor")
    fail_five_times(client, guessed.username, ip="203.0.113.7")

    response = sign_in(client, other.username, PASSWORD, ip="198.51.100.1")

    assert response.status_code == 302


def test_sign_in_works_again_after_the_cool_off(client):
    user = make_user("Editor")
    fail_five_times(client, user.username)
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )

    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_administrator_unlocks_by_deleting_the_attempt(client, administrator):
    user = make_user("Editor")
    fail_five_times(client, user.username)
    attempt = AccessAttempt.objects.get()
    staff = Client()
    staff.force_login(administrator)

    listing = staff.get(reverse("admin:axes_accessattempt_changelist"))
    staff.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]),
        {"post": "yes"},
    )

    assert user.username in listing.content.decode()
    assert not AccessAttempt.objects.exists()
    assert sign_in(client, user.username, PASSWORD).status_code == 302


def test_administrator_role_may_unlock(administrator):
    assert administrator.has_perm("axes.delete_accessattempt")


def test_lockout_counts_the_address_the_trusted_proxy_saw(rf, settings):
    from articles.access import client_ip

    settings.PROXY_COUNT = 1
    request = rf.get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.9"
    )

    assert client_ip(request) == "203.0.113.9"

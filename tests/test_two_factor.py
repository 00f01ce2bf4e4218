"""Optional two-factor sign-in (TOTP), required for administrators by REQUIRE_ADMIN_2FA."""

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import make_user

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def current_code(device):
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def sign_in(client, user, code=""):
    return client.post(
        reverse("admin:login"),
        {"username": user.username, "password": PASSWORD, "otp_token": code},
        REMOTE_ADDR="203.0.113.8",
    )


def test_staff_without_a_device_sign_in_with_the_password_alone(client):
    user = make_user("Editor")

    assert sign_in(client, user).status_code == 302


def test_login_page_asks_for_the_authenticator_code(client):
    assert 'name="otp_token"' in client.get(reverse("admin:login")).content.decode()


def test_staff_with_a_device_need_its_code(client):
    user = make_user("Editor")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    assert sign_in(client, user).status_code == 200
    assert "_auth_user_id" not in client.session
    response = sign_in(client, user, current_code(device))

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get(reverse("admin:index")).status_code == 200


def test_wrong_code_is_refused_and_throttles_the_device(client):
    user = make_user("Editor")
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)

    assert sign_in(client, user, "000000").status_code == 200
    assert "_auth_user_id" not in client.session
    # After a wrong code even the right one waits a moment (django-otp's throttling).
    assert sign_in(client, user, current_code(device)).status_code == 200


def test_setup_confirms_a_device_with_a_first_code(client):
    user = make_user("Editor")
    client.force_login(user)
    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed

    response = client.post(
        reverse("two_factor_setup"), {"otp_token": current_code(device)}
    )

    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed


def test_required_two_factor_sends_administrators_to_the_setup(client, settings):
    settings.REQUIRE_ADMIN_2FA = True
    administrator = make_user("Administrator")
    sign_in(client, administrator)

    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url == reverse("two_factor_setup")


def test_required_two_factor_lets_verified_administrators_in(client, settings):
    settings.REQUIRE_ADMIN_2FA = True
    administrator = make_user("Administrator")
    device = TOTPDevice.objects.create(user=administrator, name="phone", confirmed=True)
    sign_in(client, administrator, current_code(device))

    assert client.get(reverse("admin:index")).status_code == 200


def test_required_two_factor_leaves_editors_optional(client, settings):
    settings.REQUIRE_ADMIN_2FA = True
    editor = make_user("Editor")
    sign_in(client, editor)

    assert client.get(reverse("admin:index")).status_code == 200


def test_two_factor_is_not_required_by_default(client, settings):
    assert settings.REQUIRE_ADMIN_2FA is False
    administrator = make_user("Administrator")
    sign_in(client, administrator)

    assert client.get(reverse("admin:index")).status_code == 200

"""Staff sign in with password and authenticator code checked together: the form never says which of
them was wrong (so it never confirms a password), and failed sign-ins are limited."""

import re

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery-staple"


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("reviewer", password=PASSWORD, is_staff=True)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    return user


def _code(user, offset: int = 0) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{(totp(device.bin_key, device.step, device.t0, device.digits, device.drift) + offset) % 10**6:06d}"


def _sign_in(client, password: str, code: str):
    return client.post("/admin/login/?next=/admin/", {"username": "reviewer", "password": password,
                                                       "otp_token": code})


def _errors(response) -> list[str]:
    return re.findall(r'<p class="errornote">\s*(.*?)\s*</p>', response.content.decode(), re.S)


def test_right_password_and_code_sign_in(client, staff):
    response = _sign_in(client, PASSWORD, _code(staff))

    assert response.status_code == 302 and response["Location"] == "/admin/"


def test_wrong_password_wrong_code_and_no_code_get_one_answer(client, staff):
    answers = [_sign_in(client, "wrong-password", _code(staff)), _sign_in(client, PASSWORD, _code(staff, 1)),
               _sign_in(client, PASSWORD, ""), _sign_in(client, "wrong-password", "")]

    assert {a.status_code for a in answers} == {200}
    assert all(_errors(a) == ["Please enter a correct username, password and authenticator code. "
                              "All three may be case-sensitive."] for a in answers), [_errors(a) for a in answers]
    for answer in answers:  # nothing on the page differs once the password is right
        html = answer.content.decode()
        assert "OTP token" not in html and "id_otp_device" not in html and "disabled" not in html


@pytest.mark.slow
def test_ten_failures_lock_the_account_even_for_the_right_password(client, staff, settings):
    for _ in range(settings.STAFF_LOGIN_FAILURES_PER_ACCOUNT):
        _sign_in(client, f"guess-{timezone.now().timestamp()}", "000000")

    locked = _sign_in(client, PASSWORD, _code(staff))

    assert locked.status_code == 200 and _errors(locked) == [
        "Too many failed sign-ins from here or for this account; try again in 15 minutes."]


def test_the_limit_fails_open_when_the_cache_is_away(client, staff, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:1/0"}}

    assert _sign_in(client, PASSWORD, _code(staff)).status_code == 302

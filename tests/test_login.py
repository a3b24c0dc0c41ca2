"""Admin sign-in: failed attempts throttled (django-axes), password rules, sessions that end."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "x-pass-1"


def sign_in(client, username, password, address="10.0.0.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def test_right_password_signs_in(client, editor):
    response = sign_in(client, "bientap", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_account_is_locked_after_repeated_failures_even_with_the_right_password(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = sign_in(client, "bientap", "sai-mat-khau")
        assert response.status_code == 200  # the form again, with Django's error
    response = sign_in(client, "bientap", "sai-mat-khau")
    assert response.status_code == 429
    assert "Tạm khoá đăng nhập" in response.content.decode()
    locked = sign_in(client, "bientap", PASSWORD)
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_ends_after_the_cool_off(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "bientap", "sai-mat-khau")
    assert sign_in(client, "bientap", PASSWORD).status_code == 429
    later = timezone.now() + timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    with time_machine.travel(later):
        assert sign_in(client, "bientap", PASSWORD).status_code == 302


def test_lockout_is_per_user_and_address(client, editor, django_user_model):
    django_user_model.objects.create_user("phongvien", password=PASSWORD, is_staff=True)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "bientap", "sai-mat-khau")
    assert sign_in(client, "phongvien", PASSWORD).status_code == 302  # someone else, same place
    client.logout()
    assert sign_in(client, "bientap", PASSWORD, address="10.0.0.8").status_code == 302


def test_a_success_resets_the_count(client, editor):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "bientap", "sai-mat-khau")
    assert sign_in(client, "bientap", PASSWORD).status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "bientap", "sai-mat-khau")
    assert sign_in(client, "bientap", PASSWORD).status_code == 302


@pytest.mark.parametrize("weak", ["12345678", "password", "bientap2020", "abc"])
def test_weak_passwords_are_refused(django_user_model, weak):
    user = django_user_model(username="bientap2020")
    with pytest.raises(ValidationError):
        validate_password(weak, user)


def test_session_ends_with_the_browser_and_after_a_working_day(client, editor):
    response = sign_in(client, "bientap", PASSWORD)
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert not cookie["expires"] and not cookie["max-age"]  # a browser-session cookie
    assert client.session.get_expiry_age() == 8 * 60 * 60
    with time_machine.travel(timezone.now() + timedelta(hours=8, minutes=1)):
        response = client.get(reverse("admin:index"))
        assert response.status_code == 302
        assert response["Location"].startswith(LOGIN)

"""Admin sign-in: failed attempts throttled (django-axes), password rules, sessions that end."""

from datetime import timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PASSWORD = "x-pass-1"


PROXY = "127.0.0.1"


def sign_in(client, username, password, address="10.0.0.7", forwarded=None):
    """A sign-in from `address`, or through the proxy with `forwarded` as X-Forwarded-For."""
    headers = {"REMOTE_ADDR": address}
    if forwarded is not None:
        headers = {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": forwarded}
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": reverse("admin:index")},
        **headers,
    )


@pytest.fixture
def behind_proxy(settings):
    settings.LECHAN_TRUSTED_PROXY_COUNT = 1


def test_right_password_signs_in(client, editor):
    response = sign_in(client, "bientap", PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


@pytest.mark.parametrize(
    "next_url", ["https://evil.test/", "//evil.test/", "javascript:alert(1)", "", None]
)
def test_a_sign_in_with_a_refused_or_no_next_lands_on_the_admin_index(client, editor, next_url):
    data = {"username": "bientap", "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    query = "" if next_url is None else "?" + urlencode({"next": next_url})
    response = client.post(LOGIN + query, data, REMOTE_ADDR="10.0.0.7")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")
    assert client.get(response["Location"]).status_code == 200


def test_a_sign_in_with_a_safe_next_lands_there(client, editor):
    target = reverse("admin:articles_article_changelist")
    data = {"username": "bientap", "password": PASSWORD, "next": target}
    response = client.post(LOGIN, data, REMOTE_ADDR="10.0.0.7")
    assert response["Location"] == target


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


def test_behind_the_proxy_a_stranger_cannot_lock_an_editor_out(client, editor, behind_proxy):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "bientap", "sai-mat-khau", forwarded="203.0.113.5")
    assert sign_in(client, "bientap", PASSWORD, forwarded="203.0.113.5").status_code == 429
    assert sign_in(client, "bientap", PASSWORD, forwarded="198.51.100.7").status_code == 302


@pytest.mark.parametrize("proxies", [0, 1])
def test_a_client_cannot_pick_its_address_with_x_forwarded_for(client, editor, settings, proxies):
    """Without a proxy the header is ignored; behind one, only the entry it added counts."""
    settings.LECHAN_TRUSTED_PROXY_COUNT = proxies
    for n in range(settings.AXES_FAILURE_LIMIT):
        spoofed = f"192.0.2.{n}"
        response = client.post(
            LOGIN,
            {"username": "bientap", "password": "sai-mat-khau"},
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=spoofed if proxies == 0 else f"{spoofed}, 203.0.113.5",
        )
    assert response.status_code == 429


def test_many_user_names_from_one_address_are_throttled(client, editor, behind_proxy):
    limit = settings.LECHAN_SIGN_IN_ADDRESS_FAILURE_LIMIT
    assert limit > settings.AXES_FAILURE_LIMIT
    for n in range(limit - 1):
        response = sign_in(client, f"nguoi-{n}", "sai-mat-khau", forwarded="203.0.113.5")
        assert response.status_code == 200
    # Below the address's limit a colleague there still signs in; that clears only her count.
    assert sign_in(client, "bientap", PASSWORD, forwarded="203.0.113.5").status_code == 302
    client.logout()
    assert sign_in(client, "nguoi-moi", "sai-mat-khau", forwarded="203.0.113.5").status_code == 429
    assert sign_in(client, "bientap", PASSWORD, forwarded="203.0.113.5").status_code == 429
    assert sign_in(client, "bientap", PASSWORD, forwarded="198.51.100.7").status_code == 302


def test_a_forwarded_value_that_is_no_address_counts_for_the_proxy(client, editor, behind_proxy):
    response = sign_in(client, "bientap", "sai-mat-khau", forwarded="unknown, <script>")
    assert response.status_code == 200

    assert AccessAttempt.objects.get().ip_address == PROXY

"""`manage.py bootstrap`, what `make run` starts with: the seed and an editor account, once."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db

PASSWORD = re.compile(r"mật khẩu: (\S+)")


def bootstrap(*args):
    """What the command prints: (stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    call_command("bootstrap", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def signs_in(client, username, password):
    response = client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
    )
    return response.status_code == 302 and client.get(reverse("admin:index")).status_code == 200


def test_first_run_prints_a_password_that_signs_in_and_later_runs_print_none(client):
    first, _ = bootstrap()
    assert "Đã nạp dữ liệu mẫu" in first
    password = PASSWORD.search(first)[1]
    second, _ = bootstrap()
    assert "mật khẩu" not in second
    assert "Đã nạp dữ liệu mẫu" not in second
    assert Article.objects.count() == 1
    assert list(get_user_model().objects.values_list("username", "is_superuser")) == [
        ("bientap", True)
    ]
    assert signs_in(client, "bientap", password)


def test_each_fresh_database_gets_its_own_password():
    passwords = []
    for _ in range(2):
        call_command("flush", interactive=False, verbosity=0)  # a database with nothing in it
        out, _ = bootstrap()
        passwords.append(PASSWORD.search(out)[1])
    assert passwords[0] != passwords[1]
    assert get_user_model().objects.get().check_password(passwords[1])


def test_an_existing_account_with_that_name_is_left_as_it_is(client):
    get_user_model().objects.create_user("bientap", "", "mat-khau-cua-toi-1")
    out, err = bootstrap()
    assert "mật khẩu:" not in out
    assert "Đã có tài khoản «bientap» nhưng không phải quản trị viên" in err
    assert "python manage.py createsuperuser" in err
    user = get_user_model().objects.get()
    assert not user.is_superuser
    assert user.check_password("mat-khau-cua-toi-1")
    assert Article.objects.count() == 1  # the seed is loaded all the same


def test_the_admin_address_printed_is_where_the_site_is_served():
    out, _ = bootstrap("--address", "127.0.0.1:8765")
    assert f"trang quản trị: http://127.0.0.1:8765{reverse('admin:index')}" in out

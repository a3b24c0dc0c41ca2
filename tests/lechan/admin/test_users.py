"""What the admin names in Vietnamese beyond the message catalogue: apps and permissions."""

import re

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from lechan.admin.users import permission_label
from lechan.apps import LechanConfig
from lechan.editorial.roles import EDITOR

pytestmark = pytest.mark.django_db


def test_the_core_keeps_its_own_config_beside_the_one_naming_axes():
    assert type(apps.get_app_config("lechan")) is LechanConfig
    assert apps.get_app_config("axes").verbose_name == "Đăng nhập"


def test_permissions_read_in_vietnamese(admin_client, admin_user):
    page = admin_client.get(
        reverse("admin:auth_group_change", args=[Group.objects.get(name=EDITOR).pk])
    ).content.decode()
    assert "Tin bài | Xem bài viết" in page
    assert "Đăng nhập | Xóa lần đăng nhập thất bại" in page
    assert not re.search(r"Can (add|change|delete|view) ", page)
    user_page = admin_client.get(reverse("admin:auth_user_change", args=[admin_user.pk]))
    assert "Tin bài | Xem bài viết" in user_page.content.decode()
    assert not re.search(r"Can (add|change|delete|view) ", user_page.content.decode())


def test_a_permission_of_our_own_keeps_its_name():
    own = Permission.objects.exclude(codename__regex=r"^(add|change|delete|view)_").first()
    assert own is not None
    assert permission_label(own).endswith(f" | {own.name}")

"""The old-address table in the admin: staff who may see it get every page; only
administrators may delete an old address, which cannot be undone."""

from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.test import Client

from lechan.editorial.roles import ensure_roles
from lechan.models import Redirect
from tests.editorial import ADMINISTRATOR, EDITOR, REPORTER, admin_url, client_for, user_in_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def redirect():
    return Redirect.objects.create(old_path="/tin-tuc/ten-cu/", new_path="/tin-tuc/ten-moi/")


def staff(django_user_model, who):
    if who == "superuser":
        return django_user_model.objects.create_superuser("goc", password="x-pass-1")
    return user_in_role(django_user_model, who)


@pytest.mark.parametrize("who", [EDITOR, ADMINISTRATOR, "superuser"])
def test_every_redirect_page_opens_for_staff_who_may_see_it(django_user_model, redirect, who):
    client = client_for(Client, staff(django_user_model, who))
    for url in (
        admin_url(Redirect, "changelist"),
        admin_url(Redirect, "changelist") + "?q=ten-cu",
        admin_url(Redirect, "add"),
        admin_url(redirect, "change", redirect.pk),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "/tin-tuc/ten-cu/" in client.get(admin_url(Redirect, "changelist")).content.decode()


def test_a_reporter_does_not_see_redirects(django_user_model, redirect):
    client = client_for(Client, staff(django_user_model, REPORTER))
    assert client.get(admin_url(Redirect, "changelist")).status_code == 403
    assert client.get(admin_url(redirect, "change", redirect.pk)).status_code == 403


def test_an_editor_may_correct_a_redirect_but_not_delete_it(django_user_model, redirect):
    client = client_for(Client, staff(django_user_model, EDITOR))
    change = client.get(admin_url(redirect, "change", redirect.pk)).content.decode()
    assert "/delete/" not in change
    assert client.get(admin_url(redirect, "delete", redirect.pk)).status_code == 403
    assert (
        client.post(admin_url(redirect, "delete", redirect.pk), {"post": "yes"}).status_code == 403
    )
    changelist = client.get(admin_url(Redirect, "changelist")).content.decode()
    assert "delete_selected" not in changelist
    client.post(
        admin_url(Redirect, "changelist"),
        {"action": "delete_selected", "_selected_action": [redirect.pk], "post": "yes"},
    )
    assert Redirect.objects.filter(pk=redirect.pk).exists()
    client.post(
        admin_url(redirect, "change", redirect.pk),
        {"old_path": "/tin-tuc/ten-cu/", "new_path": "/tin-tuc/ten-dung/"},
    )
    redirect.refresh_from_db()
    assert redirect.new_path == "/tin-tuc/ten-dung/"


@pytest.mark.parametrize("who", [ADMINISTRATOR, "superuser"])
def test_an_administrator_may_delete_a_redirect(django_user_model, redirect, who):
    client = client_for(Client, staff(django_user_model, who))
    assert client.get(admin_url(redirect, "delete", redirect.pk)).status_code == 200
    client.post(admin_url(redirect, "delete", redirect.pk), {"post": "yes"})
    assert not Redirect.objects.exists()


def test_the_editor_role_holds_no_permission_to_delete_an_old_address(django_user_model):
    """Neither in the group the migrations made nor in one made again after a flush."""
    editor = user_in_role(django_user_model, EDITOR)
    assert editor.has_perm("lechan.change_redirect")
    assert not editor.has_perm("lechan.delete_redirect")
    Group.objects.filter(name=EDITOR).delete()
    ensure_roles()
    again = user_in_role(django_user_model, EDITOR, username="bientap2")
    assert not again.has_perm("lechan.delete_redirect")


def test_the_migration_takes_the_permission_from_an_editor_group_made_before_it():
    migration = import_module("lechan.migrations.0003_editors_keep_redirects")
    group = Group.objects.get(name=EDITOR)
    group.permissions.add(Permission.objects.get(codename="delete_redirect"))
    migration.forwards(apps, None)
    assert not group.permissions.filter(codename="delete_redirect").exists()
    assert group.permissions.filter(codename="change_redirect").exists()


INVISIBLE = ["\t", "\n", "\r", "\x1b", "\x7f", "\x85", "\u00a0", "\u200b", "\u202e", "\u2028", " "]


@pytest.mark.parametrize("field", ["old_path", "new_path"])
@pytest.mark.parametrize("char", INVISIBLE)
def test_a_path_with_a_control_character_or_a_space_is_refused(django_user_model, field, char):
    client = client_for(Client, staff(django_user_model, EDITOR))
    data = {"old_path": "/tin-tuc/ten-cu/", "new_path": "/tin-tuc/ten-moi/"}
    data[field] = f"/tin-tuc/ten{char}moi/"
    response = client.post(admin_url(Redirect, "add"), data)
    assert response.status_code == 200  # the form again, with its error
    assert "không được chứa khoảng trắng" in response.content.decode()
    assert not Redirect.objects.exists()
    with pytest.raises(ValidationError, match="không được chứa khoảng trắng"):
        Redirect(**data).full_clean()


def test_a_path_with_vietnamese_letters_is_accepted(django_user_model):
    client = client_for(Client, staff(django_user_model, EDITOR))
    data = {"old_path": "/tin-tuc/đường-hồ-sen/", "new_path": "/tin-tuc/duong-ho-sen/"}
    response = client.post(admin_url(Redirect, "add"), data)
    assert response.status_code == 302
    assert Redirect.objects.get().old_path == "/tin-tuc/đường-hồ-sen/"

"""Biên tập viên no longer deletes redirects: an old address must keep leading somewhere."""

from django.db import migrations

from lechan.editorial.roles import EDITOR


def editor_groups_and_permission(apps):
    """The editor group(s) and the permission to delete an old address."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    delete = Permission.objects.filter(content_type__app_label="lechan", codename="delete_redirect")
    return Group.objects.filter(name=EDITOR), list(delete)


def forwards(apps, schema_editor):
    groups, delete = editor_groups_and_permission(apps)
    for group in groups:
        group.permissions.remove(*delete)


def backwards(apps, schema_editor):
    groups, delete = editor_groups_and_permission(apps)
    for group in groups:
        group.permissions.add(*delete)


class Migration(migrations.Migration):
    dependencies = [("lechan", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]

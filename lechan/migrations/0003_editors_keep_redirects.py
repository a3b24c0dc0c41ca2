"""Biên tập viên no longer deletes redirects: an old address must keep leading somewhere."""

from django.db import migrations

from lechan.roles import EDITOR


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    delete = Permission.objects.filter(content_type__app_label="lechan", codename="delete_redirect")
    for group in Group.objects.filter(name=EDITOR):
        group.permissions.remove(*delete)


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    delete = Permission.objects.filter(content_type__app_label="lechan", codename="delete_redirect")
    for group in Group.objects.filter(name=EDITOR):
        group.permissions.add(*delete)


class Migration(migrations.Migration):
    dependencies = [("lechan", "0002_roles")]

    operations = [migrations.RunPython(forwards, backwards)]

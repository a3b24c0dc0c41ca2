"""The newsroom's roles: Phóng viên, Biên tập viên, Quản trị (see lechan/editorial/roles.py)."""

from django.db import migrations

from lechan.editorial.roles import ROLES, create_roles


def forwards(apps, schema_editor):
    create_roles(apps)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("lechan", "0001_statuschange_redirect"),
        ("articles", "0003_author_version_publish_permission"),
        ("projects", "0003_version_publish_permission"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("sessions", "0001_initial"),
        ("reversion", "0002_add_index_on_version_for_content_type_and_db"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]

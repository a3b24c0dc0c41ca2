"""The newsroom's three roles as groups with explicit permissions.

Phóng viên (reporter) writes and edits own drafts and submits them for review; the
admin narrows "change article" to the reporter's own drafts and never offers the
published states. Biên tập viên (editor) edits any article or project, publishes,
schedules, unpublishes and archives. Quản trị (administrator) has every permission,
users and groups included.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

REPORTER = {
    "articles": [
        "view_article", "add_article", "change_article", "delete_article",
        "view_articleimage", "add_articleimage", "change_articleimage", "delete_articleimage",
        "view_keyfigure", "add_keyfigure", "change_keyfigure", "delete_keyfigure",
        "view_category", "view_tag", "add_tag", "view_person", "add_person",
        "view_event", "add_event",
    ],
    "projects": ["view_project", "view_projectimage", "view_projectmilestone", "view_ward"],
}
EDITOR_APPS = ["articles", "projects"]
EDITOR_EXTRA = {"lechan": ["view_redirect", "add_redirect", "change_redirect", "delete_redirect"]}
ROLES = ["Phóng viên", "Biên tập viên", "Quản trị"]


def permissions(Permission, codenames_by_app):
    found = Permission.objects.none()
    for app_label, codenames in codenames_by_app.items():
        found |= Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    return found


def create_roles(apps, schema_editor):
    # Permissions are normally created after migrate; these groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    reporter, editor, administrator = (Group.objects.get_or_create(name=n)[0] for n in ROLES)
    reporter.permissions.set(permissions(Permission, REPORTER))
    editor.permissions.set(
        Permission.objects.filter(content_type__app_label__in=EDITOR_APPS)
        | permissions(Permission, EDITOR_EXTRA)
    )
    administrator.permissions.set(Permission.objects.all())


def remove_roles(apps, schema_editor):
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

    operations = [migrations.RunPython(create_roles, remove_roles)]

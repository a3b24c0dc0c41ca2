"""The newsroom's three roles as groups with explicit permissions.

Phóng viên (reporter) writes and edits own drafts and submits them for review; the
admin narrows "change" to the reporter's own drafts and never offers the
published states, and "view" to what is published and the reporter's own work (the
models' `visible_to`). Biên tập viên (editor) edits any item of a content app, publishes,
schedules, unpublishes and archives. Quản trị (administrator) has every permission,
users and groups included.

The data migration lechan/0002_roles creates them; `ensure_roles` runs after every
migrate and creates any that are missing (a test database flush empties the table),
leaving existing groups as administrators have shaped them. What a reporter may do in a
content app, the app registers (lechan/content.py); an editor may do everything there. A
content app added later gives the existing groups its permissions from a data migration of
its own (`grant_app`).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

from lechan import content

REPORTER, EDITOR, ADMINISTRATOR = "Phóng viên", "Biên tập viên", "Quản trị"
ROLES = (REPORTER, EDITOR, ADMINISTRATOR)
# Besides every permission of the content apps (lechan/content.py), which register
# what a reporter is given in each.
EDITOR_PERMISSIONS = {
    "lechan": ["view_redirect", "add_redirect", "change_redirect"],  # only Quản trị deletes
}


def _permissions(Permission, codenames_by_app):
    found = Permission.objects.none()
    for app_label, codenames in codenames_by_app.items():
        found |= Permission.objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )
    return found


def make_permissions(apps):
    """Permissions are normally created after migrate; the groups need them now."""
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)  # a migration's stub has none
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module


def grants(Permission, app_labels=None):
    """What each role is given: among every permission, or among those of `app_labels`."""
    everything = Permission.objects.all()
    content_labels = content.app_labels()
    reporter, editor = content.reporter_permissions(), EDITOR_PERMISSIONS
    if app_labels is not None:
        everything = everything.filter(content_type__app_label__in=app_labels)
        content_labels &= set(app_labels)
        reporter = {label: names for label, names in reporter.items() if label in app_labels}
        editor = {label: names for label, names in editor.items() if label in app_labels}
    return {
        REPORTER: _permissions(Permission, reporter),
        EDITOR: Permission.objects.filter(content_type__app_label__in=content_labels)
        | _permissions(Permission, editor),
        ADMINISTRATOR: everything,
    }


def create_roles(apps, only_missing=False):
    """Create the three groups with their permissions (`apps`: a migration's or the registry)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    missing = [name for name in ROLES if not Group.objects.filter(name=name).exists()]
    if only_missing and not missing:
        return
    make_permissions(apps)
    given = grants(Permission)
    for name in missing if only_missing else ROLES:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(given[name])


def grant_app(apps, app_label):
    """The role groups that exist get what each is given in the content app `app_label`.

    For the app's own data migration: on a database whose groups were made before the app
    was there, they would otherwise never have its permissions.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    make_permissions(apps)
    for name, permissions in grants(Permission, [app_label]).items():
        for group in Group.objects.filter(name=name):
            group.permissions.add(*permissions)


def ensure_roles(apps=global_apps, **kwargs):
    """post_migrate (after migrate or flush): put back any role group that is missing."""
    create_roles(apps, only_missing=True)

"""The users and groups pages, naming permissions in Vietnamese."""

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User

from lechan.admin.mixins import BoundedInputMixin

# Django names its permissions "Can add …" in the database, in English whatever the language.
PERMISSION_ACTIONS = {"add": "Thêm", "change": "Sửa", "delete": "Xóa", "view": "Xem"}


def permission_label(permission):
    """Django's "articles | bài viết | Can view bài viết" as "Tin bài | Xem bài viết"."""
    content_type = permission.content_type
    action, _, model_name = permission.codename.partition("_")
    name = permission.name
    if action in PERMISSION_ACTIONS and model_name == content_type.model:
        model = content_type.model_class()
        name = f"{PERMISSION_ACTIONS[action]} {model._meta.verbose_name if model else model_name}"
    try:
        app = apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:  # an app since removed
        app = content_type.app_label
    return f"{app} | {name}"


class PermissionLabels:
    """The permissions box of the user and group forms, in Vietnamese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class LechanUserAdmin(BoundedInputMixin, PermissionLabels, UserAdmin):
    pass


@admin.register(Group)
class LechanGroupAdmin(BoundedInputMixin, PermissionLabels, GroupAdmin):
    pass

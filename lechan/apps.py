from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


class LechanConfig(AppConfig):
    default = True  # the config of "lechan", beside AxesConfig below
    name = "lechan"
    verbose_name = "Cổng thông tin quận Lê Chân"

    def ready(self):
        from lechan import cache, checks, collation, search  # noqa: F401 (checks registers)
        from lechan.editorial import roles

        connection_created.connect(collation.register_sqlite_functions, weak=False)
        post_migrate.connect(search.on_post_migrate, sender=self, weak=False)
        # Editorial: the role groups are there after every migrate (and a test flush).
        post_migrate.connect(roles.ensure_roles, sender=self, weak=False)
        # Page cache: any change in a registered content app starts a new content version.
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(cache.on_content_changed, dispatch_uid="lechan.cache", weak=False)


class AxesConfig(AxesAppConfig):
    """django-axes, named in Vietnamese in the admin (it has no name of its own)."""

    verbose_name = "Đăng nhập"

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate


class LechanConfig(AppConfig):
    name = "lechan"
    verbose_name = "Cổng thông tin quận Lê Chân"

    def ready(self):
        from lechan import collation, search

        connection_created.connect(collation.register_sqlite_functions, weak=False)
        post_migrate.connect(search.on_post_migrate, sender=self, weak=False)

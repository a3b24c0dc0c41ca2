from django.apps import AppConfig


class LechanConfig(AppConfig):
    name = "lechan"
    verbose_name = "Cổng thông tin quận Lê Chân"

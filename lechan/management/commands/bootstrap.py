import secrets

from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command
from django.urls import reverse

from lechan import content

USERNAME = "bientap"


class Command(BaseCommand):
    help = (
        "Chuẩn bị trang chạy thử: migrate, lần đầu thì nạp dữ liệu mẫu và tạo tài khoản biên tập."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--address", default="127.0.0.1:8000", help="Địa chỉ máy chủ chạy thử sẽ phục vụ."
        )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # The seed is loaded once: later runs must not overwrite an editor's changes.
        if not any(item.model._default_manager.exists() for item in content.registered()):
            call_command("loaddata", "lechan", verbosity=0)
            self.stdout.write("Đã nạp dữ liệu mẫu (fixtures/lechan.json).")
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            return
        if user_model.objects.filter(**{user_model.USERNAME_FIELD: USERNAME}).exists():
            # Someone made this account by hand: its password is theirs, not ours to reset.
            self.stderr.write(
                self.style.WARNING(
                    f"Đã có tài khoản «{USERNAME}» nhưng không phải quản trị viên, nên không "
                    "tạo tài khoản biên tập và không đổi mật khẩu của tài khoản đó.\n"
                    "Tạo tài khoản quản trị bằng: python manage.py createsuperuser"
                )
            )
            return
        password = secrets.token_urlsafe(12)
        user_model.objects.create_superuser(USERNAME, "", password)
        self.stdout.write(
            self.style.SUCCESS(
                "Đã tạo tài khoản biên tập cho máy này (chỉ hiện một lần):\n"
                f"  tên đăng nhập: {USERNAME}\n  mật khẩu: {password}\n"
                f"  trang quản trị: http://{options['address']}{reverse('admin:index')}"
            )
        )

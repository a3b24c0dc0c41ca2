import secrets

from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = (
        "Chuẩn bị trang chạy thử: migrate, lần đầu thì nạp dữ liệu mẫu và tạo tài khoản biên tập."
    )

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        # The seed is loaded once: later runs must not overwrite an editor's changes.
        if not apps.get_model("articles", "Article").objects.exists():
            call_command("loaddata", "lechan", verbosity=0)
            self.stdout.write("Đã nạp dữ liệu mẫu (fixtures/lechan.json).")
        user_model = get_user_model()
        if not user_model.objects.filter(is_superuser=True).exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser("bientap", "", password)
            self.stdout.write(
                self.style.SUCCESS(
                    "Đã tạo tài khoản biên tập cho máy này (chỉ hiện một lần):\n"
                    f"  tên đăng nhập: bientap\n  mật khẩu: {password}\n"
                    "  trang quản trị: http://127.0.0.1:8000/admin/"
                )
            )

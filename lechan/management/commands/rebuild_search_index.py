from django.core.management import BaseCommand

from lechan import search


class Command(BaseCommand):
    help = "Dựng lại chỉ mục tìm kiếm của mọi bài viết và dự án."

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database, **options):
        for model in search.registered_models():
            count = search.rebuild(model, using=database)
            self.stdout.write(f"{model._meta.verbose_name_plural}: {count} mục")

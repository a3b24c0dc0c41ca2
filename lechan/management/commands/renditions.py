"""Rebuild the stored renditions of every photo, e.g. for files stored before they existed.

A photo stored under a name that is not its real format's (a PNG kept as `anh.jpg`, from
before names followed the format) is renamed first, so that its links find its files.
"""

from django.apps import apps
from django.core.management.base import BaseCommand

from lechan.images import RenditionImageField


class Command(BaseCommand):
    help = "Làm lại các cỡ ảnh (và WebP, ảnh chia sẻ) của mọi ảnh đã lưu."

    def handle(self, *args, **options):
        made = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.fields if isinstance(f, RenditionImageField)]
            for field in fields:
                for item in model._default_manager.exclude(**{field.name: ""}).iterator():
                    file = getattr(item, field.name)
                    if not file:
                        continue
                    try:
                        if file.follow_format():
                            model._default_manager.filter(pk=item.pk).update(
                                **{field.attname: file.name}
                            )
                        file.make_renditions()
                    except (OSError, ValueError) as error:
                        self.stderr.write(f"{model._meta.label} {item.pk}: {file.name}: {error}")
                        continue
                    made += 1
        self.stdout.write(f"Đã làm lại cỡ ảnh cho {made} ảnh.")

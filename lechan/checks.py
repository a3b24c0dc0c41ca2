"""Checks of a production configuration (`manage.py check --deploy`)."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def cache_shared_by_every_worker(app_configs, **kwargs):
    """The page cache, its content version and the takedown time must be one for all workers.

    A local-memory cache is each gunicorn worker's own: an edit, or an article taken down,
    would reach only the worker that saved it, and the others would go on serving (during an
    outage, too) the copies they kept.
    """
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.LECHAN_PAGE_CACHE_SECONDS > 0 and backend.endswith(".LocMemCache"):
        return [
            checks.Warning(
                "Bộ nhớ đệm trang đang ở bộ nhớ riêng của từng tiến trình: một bài bị gỡ "
                "vẫn có thể hiện ra từ tiến trình khác.",
                hint="Đặt REDIS_URL (một Redis chung cho mọi tiến trình), hoặc tắt bộ nhớ "
                "đệm trang bằng LECHAN_PAGE_CACHE_SECONDS=0.",
                id="lechan.W001",
            )
        ]
    return []

"""Abstract models both apps build on, and the editorial records they share.

The core defines two tables of its own, neither tied to an app: `StatusChange`
(who moved which item from which state to which, and when) and `Redirect` (an old
address of a moved item and where it went). Both name items by address or by
content type, so the core still imports no app.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from lechan.text import unique_slug

# Long enough for a full Vietnamese title as an ASCII slug.
SLUG_LENGTH = 255


class SluggedModel(models.Model):
    """A model whose slug is derived from its name when the editor leaves it empty."""

    slug_source = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            text = getattr(self, self.slug_source)
            self.slug, n = unique_slug(self, text), 1
            while not self.slug_is_free(self.slug):
                n += 1
                self.slug = unique_slug(self, f"{text} {n}")
        super().save(*args, **kwargs)

    def slug_is_free(self, slug):
        """Whether `slug` is free beyond this table: an old address kept for a moved item is not."""
        return True


class StatusChange(models.Model):
    """One move of an item through the editorial workflow (see lechan/workflow.py)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    item = GenericForeignKey("content_type", "object_id")
    from_status = models.CharField("từ", max_length=20, blank=True)
    to_status = models.CharField("sang", max_length=20)
    note = models.CharField("ghi chú", max_length=300, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người thực hiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("lúc", default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "chuyển trạng thái"
        verbose_name_plural = "lịch sử trạng thái"
        indexes = [models.Index(fields=["content_type", "object_id"], name="statuschange_item_idx")]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


class Redirect(models.Model):
    """An address that no longer exists and the one that replaced it (answered with 301)."""

    old_path = models.CharField("địa chỉ cũ", max_length=500, unique=True)
    new_path = models.CharField("địa chỉ mới", max_length=500)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    class Meta:
        ordering = ["old_path"]
        verbose_name = "chuyển hướng"
        verbose_name_plural = "chuyển hướng"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

"""Abstract models both apps build on, and the editorial records they share.

The core defines two tables of its own, neither tied to an app: `StatusChange`
(who moved which item from which state to which, and when) and `Redirect` (an old
address of a moved item and where it went). Both name items by address or by
content type, so the core still imports no app.
"""

import unicodedata

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lechan.images import RenditionImageField
from lechan.text import slugify_vi, unique_slug

# Long enough for a full Vietnamese title as an ASCII slug.
SLUG_LENGTH = 255


class SluggedModel(models.Model):
    """A model whose slug is derived from its name when the editor leaves it empty."""

    slug_source = "name"

    slug = models.SlugField("đường dẫn", max_length=SLUG_LENGTH, unique=True, blank=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_slug()
        super().save(*args, **kwargs)

    def fill_slug(self):
        """Derive the slug from `slug_source` when it is empty."""
        if not self.slug:
            text = getattr(self, self.slug_source)
            if not slugify_vi(text):  # emoji or punctuation only: nothing to read in a slug
                text = self.slug_fallback()
            self.slug = self.free_slug(text)

    def slug_fallback(self):
        """The words of a slug when `slug_source` has none: what it is, and the day."""
        return f"{self._meta.verbose_name} {timezone.localdate():%d-%m-%Y}"

    def free_slug(self, text):
        """A slug from `text` that no other row has and no moved item keeps (-2, -3, … if not)."""
        slug, n = unique_slug(self, text), 1
        while not self.slug_is_free(slug):
            n += 1
            slug = unique_slug(self, f"{text} {n}")
        return slug

    def slug_is_free(self, slug):
        """Whether `slug` is free beyond this table: an old address kept for a moved item is not."""
        return True


class PublicItemQuerySet(models.QuerySet):
    """The queries every kind of public item answers; each app states its own rules.

    `published` is the publication rule and `editable_by` who may change what; the
    rest is built on them, so that the admin and the preview ask every app alike.
    """

    def published(self):
        """What the public may see."""
        raise NotImplementedError

    def editable_by(self, user):
        """What `user` may change."""
        raise NotImplementedError

    def previewable_by(self, user):
        """The unpublished items `user` may read as well: by default, those `user` may change."""
        return self.editable_by(user)

    def visible_to(self, user):
        """What `user` may read: the published items and those `user` may preview.

        The admin shows no more than this, and a preview on the real address neither.
        """
        return self.published() | self.previewable_by(user)


class PublicItem(SluggedModel):
    """An article or project: read at its slug's address, edited with a lock, moved with a 301.

    Every save raises `version` (the edit lock of `VersionedForm`). When the slug changes,
    the old address answers 301 to the new one if the item was ever public there, even if
    it was taken down before the move: `public_slug` remembers the last public address.
    Its workflow state moves through `move_to`, which checks and records each move; a restore
    of an earlier version (lechan/editorial/revisions.py) may put back any state outside the
    workflow's moves, and the admin records that too.
    """

    # The URL name of the item's page, and the (field, value) that makes it public.
    detail_route = None
    publication = None
    # The right to publish ("app.codename"), and the allowed moves of the workflow state,
    # {from: {to: needs that right}}; None stands for an item not saved yet.
    publish_permission = None
    TRANSITIONS = {}
    # Fields an editor does not set by hand, left out of a revision's diff and never restored
    # (an app adds its own), and the fields holding HTML, which a diff reads as text.
    revision_hidden_fields = ("version",)
    html_fields = ()

    public_slug = models.SlugField(
        "đường dẫn đã công khai",
        max_length=SLUG_LENGTH,
        blank=True,
        editable=False,
        help_text="Đường dẫn cuối cùng mà bạn đọc đã xem được mục này.",
    )
    version = models.PositiveIntegerField(
        "phiên bản", default=1, editable=False, help_text="Tăng mỗi lần lưu: chống ghi đè."
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_slug()
        field, public = self.publication
        stored = None
        if not self._state.adding and self.pk:
            stored = type(self).objects.filter(pk=self.pk).values("slug", "public_slug", field)
            stored = stored.first()
        if stored:
            self.version += 1
            # The last address the public read it at: its slug, if it was public until now.
            self.public_slug = stored["slug"] if stored[field] == public else stored["public_slug"]
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "version", "public_slug"}
        old_slug_was_public = stored is not None and self.public_slug == stored["slug"]
        if getattr(self, field) == public:
            self.public_slug = self.slug
        super().save(*args, **kwargs)
        if stored and stored["slug"] != self.slug:
            self.moved_from(stored["slug"], keep=old_slug_was_public)

    def get_absolute_url(self):
        return self.address(self.slug)

    def moved_from(self, old_slug, *, keep):
        """Addresses that led to `old_slug` now lead here; so does that one if `keep`."""
        old = self.address(old_slug)
        Redirect.objects.record_move(old, self.get_absolute_url())
        if not keep:
            Redirect.objects.filter(old_path=old).delete()

    @classmethod
    def address(cls, slug):
        """The address of this kind of item's page at `slug`."""
        return reverse(cls.detail_route, kwargs={"slug": slug})

    @property
    def workflow_state(self):
        """The item's workflow state, as the code a `StatusChange` stores."""
        raise NotImplementedError

    def stored_state(self):
        """The workflow state as saved, None for an item not saved yet."""
        if self._state.adding or self.pk is None:
            return None
        stored = type(self)._default_manager.filter(pk=self.pk).only(self.publication[0]).first()
        return None if stored is None else stored.workflow_state

    def next_states(self, user, current):
        """The states `user` may move this item to from `current` (its stored state), itself
        first. With no user (a move the system makes), every move of `TRANSITIONS`."""
        can_publish = user is None or user.has_perm(self.publish_permission)
        moves = self.TRANSITIONS.get(current, {})
        allowed = [state for state, needs in moves.items() if can_publish or not needs]
        return [current, *allowed] if current else allowed

    def state_label(self, state):
        """How an editor reads a workflow state: its label, "Tạo mới" before the first save."""
        if state is None:
            return "Tạo mới"
        known = {str(code): getattr(code, "label", code) for code in self.TRANSITIONS if code}
        return known.get(str(state), state)

    def refusal(self, before, state, user):
        """Why `user` may not move the item from `before` to `state`, in the editor's words;
        "" when the move is allowed."""
        if state in self.next_states(user, before):
            return ""
        before, after = self.state_label(before), self.state_label(state)
        return f"Bạn không được chuyển {self._meta.verbose_name} từ “{before}” sang “{after}”."

    def move_note(self):
        """What the history says of a move to the current state, when the editor says nothing."""
        return ""

    def move_to(self, state, user, note=""):
        """Move the item to `state` as `user`: the way its workflow state changes (a restore
        aside, see the class).

        The move must be one `TRANSITIONS` allows `user` from the stored state, else
        PermissionDenied. `user` None is a move the system makes (a command, a scheduled
        job): the workflow's moves apply, the permissions do not, and the history names no
        one. The item is saved with whatever else was changed on it (its `save` fills what
        goes with the state, an article's publication time) and the move is recorded;
        staying in the stored state saves and records nothing.
        """
        before = self.stored_state()
        if refused := self.refusal(before, state, user):
            raise PermissionDenied(refused)
        self.workflow_state = state
        self.save()
        return StatusChange.objects.record(self, before, state, user, note or self.move_note())

    def slug_is_free(self, slug):
        here = self.get_absolute_url() if self.pk and self.slug else None
        return not Redirect.objects.is_reserved(self.address(slug), except_for=here)


def photo_file(upload_to, **options):
    """The image field of a `Photo`: the file, its size read into `width` and `height`."""
    return RenditionImageField(
        "ảnh", upload_to=upload_to, width_field="width", height_field="height", **options
    )


class Photo(models.Model):
    """A photo of an article or project: a file needs alt text, or a caption to stand for it.

    An app's photos keep their own folder: it declares `image` again with `photo_file`.
    """

    image = photo_file("photos/%Y/%m/")
    width = models.PositiveIntegerField(null=True, blank=True, editable=False)
    height = models.PositiveIntegerField(null=True, blank=True, editable=False)
    caption = models.CharField("chú thích", max_length=500, blank=True)
    alt_text = models.CharField("văn bản thay thế", max_length=300, blank=True)
    credit = models.CharField("tác giả ảnh", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return self.caption or f"Ảnh {self.pk}"

    def clean(self):
        super().clean()
        if self.image and not (self.alt_text.strip() or self.caption.strip()):
            raise ValidationError(
                {
                    "alt_text": (
                        "Ảnh cần có văn bản thay thế (mô tả ảnh cho người khiếm thị) "
                        "hoặc chú thích."
                    )
                }
            )

    @property
    def alt(self):
        """What the <img> says to a reader who cannot see it: the alt text, else the caption."""
        return self.alt_text or self.caption


class StatusChangeQuerySet(models.QuerySet):
    def record(self, item, from_status, to_status, user, note=""):
        """Record a move of `item` (none when it stays where it was)."""
        if from_status == to_status:
            return None
        return self.create(
            content_type=ContentType.objects.get_for_model(item),
            object_id=str(item.pk),
            from_status=from_status or "",
            to_status=to_status,
            user=user if user is not None and user.is_authenticated else None,
            note=note,
        )

    def of(self, item):
        """The moves of `item`, newest first, with who made them."""
        content_type = ContentType.objects.get_for_model(item)
        return self.filter(content_type=content_type, object_id=str(item.pk)).select_related("user")


class StatusChange(models.Model):
    """One move of an item through the editorial workflow (`PublicItem.move_to`)."""

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

    objects = StatusChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "chuyển trạng thái"
        verbose_name_plural = "lịch sử trạng thái"
        indexes = [models.Index(fields=["content_type", "object_id"], name="statuschange_item_idx")]

    def __str__(self):
        return f"{self.from_status or '—'} → {self.to_status}"


def validate_site_path(path):
    """A path on this site ("/tin-tuc/…"), never another site's address ("//…", "https://…").

    No character of it is a control or format character, a space or a line break (Unicode
    categories C and Z): no address holds one, and it would not show in the admin's list.
    """
    if not path.startswith("/") or path.startswith(("//", "/\\")):
        raise ValidationError(
            "Chỉ nhập đường dẫn trong trang, bắt đầu bằng một dấu “/”, ví dụ /tin-tuc/ten-bai/.",
            code="not_a_site_path",
        )
    if any(unicodedata.category(ch)[0] in "CZ" for ch in path):
        raise ValidationError(
            "Đường dẫn không được chứa khoảng trắng, dấu xuống dòng, tab hay ký tự điều khiển.",
            code="invisible_character",
        )


class RedirectQuerySet(models.QuerySet):
    """Old addresses kept as items move; lechan/editorial/redirects.py answers them."""

    def record_move(self, old_path, new_path):
        """`old_path` now answers with `new_path`; earlier addresses that led to it follow."""
        if not old_path or old_path == new_path:
            return
        self.filter(new_path=old_path).update(new_path=new_path)
        self.update_or_create(old_path=old_path, defaults={"new_path": new_path})
        # The item is back at an address it once left: that address is live again.
        self.filter(old_path=new_path).delete()

    def lead_back(self, old_paths, taken_path, new_path):
        """A deleted item comes back at `new_path` because another item now has `taken_path`, its
        last address: those of its `old_paths` that led there lead to it again, not to the other."""
        self.filter(old_path__in=old_paths, new_path=taken_path).update(new_path=new_path)

    def is_reserved(self, path, *, except_for=None):
        """Whether `path` is an old address kept for another item (not the one at `except_for`)."""
        redirects = self.filter(old_path=path)
        if except_for:
            redirects = redirects.exclude(new_path=except_for)
        return redirects.exists()


class Redirect(models.Model):
    """An address that no longer exists and the one that replaced it (answered with 301)."""

    old_path = models.CharField(
        "địa chỉ cũ", max_length=500, unique=True, validators=[validate_site_path]
    )
    new_path = models.CharField("địa chỉ mới", max_length=500, validators=[validate_site_path])
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)

    objects = RedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_path"]
        verbose_name = "chuyển hướng"
        verbose_name_plural = "chuyển hướng"

    def __str__(self):
        return f"{self.old_path} → {self.new_path}"

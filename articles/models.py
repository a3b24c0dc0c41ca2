from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone

from lechan.editorial import workflow
from lechan.html import clean_html, split_blocks
from lechan.models import (
    SLUG_LENGTH,
    Photo,
    PublicItem,
    PublicItemQuerySet,
    SluggedModel,
    photo_file,
)


class Category(SluggedModel):
    name = models.CharField("tên", max_length=200)
    description = models.TextField("mô tả", blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:list") + f"?category={self.slug}"


class Tag(SluggedModel):
    name = models.CharField("tên", max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = "thẻ"
        verbose_name_plural = "thẻ"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:list") + f"?tag={self.slug}"


class Person(SluggedModel):
    name = models.CharField("họ và tên", max_length=200)
    position = models.CharField("chức vụ", max_length=300, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "nhân vật"
        verbose_name_plural = "nhân vật"

    def __str__(self):
        return f"{self.name}, {self.position}" if self.position else self.name

    def get_absolute_url(self):
        return reverse("articles:list") + f"?speaker={self.slug}"


class Event(SluggedModel):
    name = models.CharField("tên sự kiện", max_length=300)
    start_date = models.DateField("ngày bắt đầu", null=True, blank=True)
    end_date = models.DateField("ngày kết thúc", null=True, blank=True)
    location = models.CharField("địa điểm", max_length=300, blank=True)
    description = models.TextField("mô tả", blank=True)

    class Meta:
        ordering = ["-start_date", "name"]
        verbose_name = "sự kiện"
        verbose_name_plural = "sự kiện"

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:list") + f"?event={self.slug}"


class ArticleQuerySet(PublicItemQuerySet):
    def published(self):
        """What the public may see: published, and not scheduled for later."""
        return self.filter(status=Article.Status.PUBLISHED, published_at__lte=timezone.now())

    def for_cards(self):
        """What an article card shows, fetched in a fixed number of queries."""
        return self.select_related("category", "speaker")

    def editable_by(self, user):
        """What `user` may change: any article with the right to publish, else own drafts."""
        if not user.has_perm("articles.change_article"):
            return self.none()
        if user.has_perm("articles.publish_article"):
            return self
        return self.filter(author=user.pk, status__in=Article.AUTHOR_EDITABLE)

    def previewable_by(self, user):
        """All articles with the right to publish; with a right on articles, one's own."""
        if user.has_perm("articles.publish_article"):
            return self
        if user.has_perm("articles.view_article") or user.has_perm("articles.change_article"):
            return self.filter(author=user.pk)
        return self.none()


class KeyFigureQuerySet(models.QuerySet):
    def published(self):
        """The figures the public may see: those of published articles."""
        return self.filter(article__in=Article.objects.published())


class Article(PublicItem):
    class Kind(models.TextChoices):
        NEWS = "news", "Tin tức"
        SPEECH = "speech", "Tham luận, phát biểu"
        INTERVIEW = "interview", "Phỏng vấn"
        ANNOUNCEMENT = "announcement", "Thông báo"
        FEATURE = "feature", "Phóng sự"

    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        REVIEW = "review", "Chờ duyệt"
        PUBLISHED = "published", "Đã xuất bản"
        UNPUBLISHED = "unpublished", "Đã gỡ"
        ARCHIVED = "archived", "Lưu trữ"

    slug_source = "title"
    detail_route = "articles:detail"
    publication = ("status", Status.PUBLISHED)
    publish_permission = "articles.publish_article"

    title = models.CharField("tiêu đề", max_length=300)
    slug = models.SlugField(
        "đường dẫn",
        max_length=SLUG_LENGTH,
        unique=True,
        blank=True,
        help_text="Để trống để tạo tự động từ tiêu đề (không dấu, đ→d). Đã đặt thì giữ nguyên.",
    )
    kind = models.CharField("thể loại", max_length=20, choices=Kind.choices, default=Kind.NEWS)
    status = models.CharField(
        "trạng thái", max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(
        "thời điểm xuất bản",
        null=True,
        blank=True,
        db_index=True,
        help_text="Thời điểm trong tương lai: bài tự lên trang vào đúng lúc đó.",
    )
    is_featured = models.BooleanField("tin nổi bật", default=False)
    lead = models.TextField("sapo", blank=True, help_text="Đoạn mở đầu, hiển thị tách riêng.")
    body = models.TextField("nội dung", blank=True, help_text="HTML: mỗi đoạn một thẻ <p>.")
    category = models.ForeignKey(
        Category,
        verbose_name="chuyên mục",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    tags = models.ManyToManyField(Tag, verbose_name="thẻ", blank=True, related_name="articles")
    speaker = models.ForeignKey(
        Person,
        verbose_name="người phát biểu",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    event = models.ForeignKey(
        Event,
        verbose_name="sự kiện",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    event_day = models.PositiveSmallIntegerField(
        "ngày làm việc thứ", null=True, blank=True, help_text="Ví dụ: 3 cho ngày làm việc thứ ba."
    )
    reporter = models.CharField("phóng viên", max_length=200, blank=True)
    photographer = models.CharField("ảnh", max_length=200, blank=True)
    source_name = models.CharField("nguồn", max_length=300, blank=True)
    source_url = models.URLField("địa chỉ nguồn", max_length=500, blank=True)
    projects = models.ManyToManyField(
        "projects.Project", verbose_name="dự án liên quan", blank=True, related_name="articles"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="người tạo",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        indexes = [
            # The publication rule, plus the facet columns: facet counts and the year
            # list read this index alone, never the (large) rows.
            models.Index(
                fields=["status", "published_at", "kind", "category", "speaker", "event"],
                name="article_pub_facets_idx",
            ),
            # The most used filters, each with the publication rule, the date order and
            # the other facet columns, so that their facets too read only the index.
            models.Index(
                fields=["kind", "status", "published_at", "category", "speaker", "event"],
                name="article_kind_facets_idx",
            ),
            models.Index(
                fields=["category", "status", "published_at", "kind", "speaker", "event"],
                name="article_category_facets_idx",
            ),
            # The same columns by id: a full-text match joins its rows by id, and this
            # answers each lookup without reading the wide row.
            models.Index(
                fields=["id", "status", "published_at", "kind", "category", "speaker", "event"],
                name="article_id_facets_idx",
            ),
        ]
        permissions = [("publish_article", "Có thể xuất bản, hẹn giờ, gỡ và lưu trữ bài viết")]

    revision_hidden_fields = (
        *PublicItem.revision_hidden_fields,
        "author",
        "created_at",
        "updated_at",
    )
    html_fields = ("body",)
    # A reporter (no right to publish) changes only own articles in these states.
    AUTHOR_EDITABLE = (Status.DRAFT, Status.REVIEW)
    # Allowed moves, {from: {to: needs the right to publish}}; None is a new article.
    TRANSITIONS = {
        None: {Status.DRAFT: False, Status.REVIEW: False, Status.PUBLISHED: True},
        Status.DRAFT: {Status.REVIEW: False, Status.PUBLISHED: True, Status.ARCHIVED: True},
        Status.REVIEW: {Status.DRAFT: False, Status.PUBLISHED: True, Status.ARCHIVED: True},
        Status.PUBLISHED: {Status.UNPUBLISHED: True, Status.DRAFT: True, Status.ARCHIVED: True},
        Status.UNPUBLISHED: {Status.DRAFT: True, Status.PUBLISHED: True, Status.ARCHIVED: True},
        Status.ARCHIVED: {Status.DRAFT: True, Status.UNPUBLISHED: True},
    }

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        if self.status == self.Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        super().save(*args, **kwargs)

    def slug_fallback(self):
        """A title without letters (emoji only) gives the kind and day: "tin-tuc-15-10-2020"."""
        day = timezone.localdate(self.published_at) if self.published_at else timezone.localdate()
        return f"{self.get_kind_display()} {day:%d-%m-%Y}"

    def is_editable_by(self, user):
        """Whether `user` may change this article (see `ArticleQuerySet.editable_by`)."""
        if not user.has_perm("articles.change_article"):
            return False
        if user.has_perm("articles.publish_article"):
            return True
        return self.author_id == user.pk and self.status in self.AUTHOR_EDITABLE

    @property
    def workflow_state(self):
        return self.status

    @workflow_state.setter
    def workflow_state(self, status):
        self.status = status

    def move_note(self):
        """A publication set for later is noted as such: "hẹn giờ 16:00 20/10/2026"."""
        if self.status == self.Status.PUBLISHED:
            return workflow.schedule_note(self.published_at)
        return ""

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def is_public(self):
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def body_with_figures(self, images):
        """The body as a list of blocks, each image placed after its paragraph.

        Blocks are ("html", safe markup) or ("figure", ArticleImage); the body is
        sanitized again here so that nothing stored unsafely reaches a reader.
        """
        blocks = [("html", block) for block in split_blocks(clean_html(self.body))]
        for image in sorted(images, key=lambda i: (i.position, i.order), reverse=True):
            blocks.insert(min(image.position, len(blocks)), ("figure", image))
        return blocks

    @property
    def byline(self):
        """The credit line in the Hải Phòng portal's form: "HỒNG THANH (GHI) – ẢNH: DUY THÍNH"."""
        parts = []
        if self.reporter:
            parts.append(self.reporter.upper())
        if self.photographer:
            parts.append(f"ẢNH: {self.photographer.upper()}")
        return " – ".join(parts)


class ArticleImage(Photo):
    article = models.ForeignKey(
        Article, verbose_name="bài viết", on_delete=models.CASCADE, related_name="images"
    )
    image = photo_file(
        "articles/%Y/%m/",
        blank=True,
        help_text="Có thể để trống nếu nguồn chỉ có chú thích, chưa có tệp ảnh.",
    )
    # A hint for reporters; project photos have none (on Photo it would need a migration).
    alt_text = models.CharField(
        "văn bản thay thế", max_length=300, blank=True, help_text="Mô tả ảnh cho người khiếm thị."
    )
    position = models.PositiveSmallIntegerField(
        "vị trí trong bài",
        default=0,
        help_text="Đặt ảnh sau đoạn thứ mấy của nội dung (0: trước đoạn đầu tiên).",
    )

    class Meta:
        ordering = ["position", "order", "pk"]
        verbose_name = "ảnh"
        verbose_name_plural = "ảnh trong bài"


class KeyFigure(models.Model):
    class Qualifier(models.TextChoices):
        EXACT = "", "chính xác"
        ABOUT = "khoảng", "khoảng"
        NEARLY = "gần", "gần"
        OVER = "trên", "trên"

    article = models.ForeignKey(
        Article, verbose_name="bài viết nguồn", on_delete=models.CASCADE, related_name="key_figures"
    )
    project = models.ForeignKey(
        "projects.Project",
        verbose_name="dự án",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="key_figures",
    )
    label = models.CharField("nội dung", max_length=300)
    qualifier = models.CharField(
        "mức độ", max_length=10, choices=Qualifier.choices, default=Qualifier.EXACT, blank=True
    )
    value = models.DecimalField("giá trị", max_digits=20, decimal_places=4)
    unit = models.CharField("đơn vị", max_length=50, blank=True)
    period = models.CharField("thời kỳ", max_length=100, blank=True, help_text="Ví dụ: 2016–2020.")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    objects = KeyFigureQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "số liệu chính"
        verbose_name_plural = "số liệu chính"

    def __str__(self):
        return f"{self.label}: {self.value.normalize():f} {self.unit}".strip()

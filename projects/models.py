from django.db import models
from django.utils import timezone

from lechan.models import (
    SLUG_LENGTH,
    Photo,
    PublicItem,
    PublicItemQuerySet,
    SluggedModel,
    photo_file,
)
from lechan.numbers import in_billions


class Ward(SluggedModel):
    name = models.CharField("tên phường", max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "phường"
        verbose_name_plural = "phường"

    def __str__(self):
        return self.name


class ProjectQuerySet(PublicItemQuerySet):
    def published(self):
        """What the public may see of the register."""
        return self.filter(is_published=True)

    def for_cards(self):
        return self.select_related("ward")

    def editable_by(self, user):
        """The register has no drafts: whoever may change projects may change any of them."""
        return self if user.has_perm("projects.change_project") else self.none()

    def status_counts(self):
        """How many projects are in each state, by state: rows of "status" and "n"."""
        return self.values("status").annotate(n=models.Count("pk")).order_by("status")


class Project(PublicItem):
    class Kind(models.TextChoices):
        ROAD = "road", "Đường giao thông"
        COMMERCIAL = "commercial", "Trung tâm thương mại"
        HOTEL = "hotel", "Khách sạn"
        URBAN_AREA = "urban_area", "Khu đô thị"
        APARTMENTS = "apartments", "Chung cư"
        ALLEY_UPGRADE = "alley_upgrade", "Cải tạo, nâng cấp ngõ"
        PUBLIC_WORKS = "public_works", "Công trình công cộng"
        OTHER = "other", "Khác"

    class Status(models.TextChoices):
        PLANNED = "planned", "Chuẩn bị đầu tư"
        STALLED = "stalled", "Chậm triển khai"
        UNDER_CONSTRUCTION = "under_construction", "Đang thi công"
        COMPLETED = "completed", "Đã hoàn thành"

    class Zone(models.TextChoices):
        NORTH = "north", "Phía Bắc đường Nguyễn Văn Linh"
        SOUTH = "south", "Phía Nam đường Nguyễn Văn Linh"

    class Funding(models.TextChoices):
        STATE_BUDGET = "state_budget", "Ngân sách nhà nước"
        NON_BUDGET = "non_budget", "Ngoài ngân sách"
        MIXED = "mixed", "Hỗn hợp"

    # The register's workflow: a project is shown to the public or hidden, by an editor.
    class Visibility(models.TextChoices):
        SHOWN = "published", "Hiển thị công khai"
        HIDDEN = "hidden", "Ẩn"

    detail_route = "projects:detail"
    publication = ("is_published", True)
    publish_permission = "projects.publish_project"
    # A new project is hidden unless an editor shows it.
    TRANSITIONS = {
        None: {Visibility.SHOWN: True, Visibility.HIDDEN: False},
        Visibility.SHOWN: {Visibility.HIDDEN: True},
        Visibility.HIDDEN: {Visibility.SHOWN: True},
    }

    revision_hidden_fields = (*PublicItem.revision_hidden_fields, "created_at", "updated_at")

    name = models.CharField("tên dự án", max_length=300)
    slug = models.SlugField(
        "đường dẫn",
        max_length=SLUG_LENGTH,
        unique=True,
        blank=True,
        help_text="Để trống để tạo tự động từ tên (không dấu, đ→d). Đã đặt thì giữ nguyên.",
    )
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, blank=True)
    status = models.CharField(
        "tình trạng",
        max_length=20,
        choices=Status.choices,
        blank=True,
        help_text="Để trống nếu nguồn chưa nêu.",
    )
    zone = models.CharField("khu vực", max_length=10, choices=Zone.choices, blank=True)
    ward = models.ForeignKey(
        Ward,
        verbose_name="phường",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="projects",
    )
    investor = models.CharField("chủ đầu tư", max_length=300, blank=True)
    funding = models.CharField("nguồn vốn", max_length=20, choices=Funding.choices, blank=True)
    investment_vnd = models.DecimalField(
        "tổng mức đầu tư (đồng)", max_digits=20, decimal_places=0, null=True, blank=True
    )
    area_ha = models.DecimalField(
        "diện tích (ha)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    households_relocated = models.PositiveIntegerField("số hộ phải di dời", null=True, blank=True)
    start_year = models.PositiveSmallIntegerField("năm khởi công", null=True, blank=True)
    completion_year = models.PositiveSmallIntegerField("năm hoàn thành", null=True, blank=True)
    summary = models.TextField("tóm tắt", blank=True)
    description = models.TextField("mô tả", blank=True)
    is_published = models.BooleanField("hiển thị công khai", default=True)
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "dự án"
        verbose_name_plural = "dự án"
        permissions = [("publish_project", "Có thể hiển thị công khai hoặc ẩn dự án")]

    def __str__(self):
        return self.name

    def is_editable_by(self, user):
        return user.has_perm("projects.change_project")

    def slug_fallback(self):
        """A name without letters (emoji only) gives the kind and day: "khach-san-15-10-2020"."""
        kind = self.get_kind_display() or self._meta.verbose_name
        return f"{kind} {timezone.localdate():%d-%m-%Y}"

    @property
    def is_public(self):
        return self.is_published

    @property
    def workflow_state(self):
        return self.Visibility.SHOWN if self.is_published else self.Visibility.HIDDEN

    @workflow_state.setter
    def workflow_state(self, state):
        self.is_published = state == self.Visibility.SHOWN

    @property
    def investment_billion(self):
        """Investment in tỷ đồng, the unit Vietnamese readers use for such sums."""
        return in_billions(self.investment_vnd)


class ProjectImage(Photo):
    project = models.ForeignKey(
        Project, verbose_name="dự án", on_delete=models.CASCADE, related_name="images"
    )
    image = photo_file("projects/%Y/%m/")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "ảnh"
        verbose_name_plural = "ảnh dự án"


class ProjectMilestone(models.Model):
    project = models.ForeignKey(
        Project, verbose_name="dự án", on_delete=models.CASCADE, related_name="milestones"
    )
    date = models.DateField("ngày", null=True, blank=True, help_text="Trống nếu nguồn không nêu.")
    status = models.CharField("tình trạng", max_length=20, choices=Project.Status.choices)
    note = models.CharField("ghi chú", max_length=500, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "date", "pk"]
        verbose_name = "mốc tiến độ"
        verbose_name_plural = "mốc tiến độ"

    def __str__(self):
        status = self.get_status_display()
        return f"{status}: {self.note}" if self.note else status

from django.contrib import admin
from django.db import transaction

from lechan.admin import FoldedSearchMixin, ThumbnailMixin

from .models import Project, ProjectImage, ProjectMilestone, Ward


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class ProjectImageInline(ThumbnailMixin, admin.TabularInline):
    model = ProjectImage
    fields = ["image", "thumbnail", "caption", "alt_text", "credit", "order"]
    readonly_fields = ["thumbnail"]
    extra = 0


class ProjectMilestoneInline(admin.TabularInline):
    model = ProjectMilestone
    fields = ["date", "status", "note", "order"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "name",
        "kind",
        "status",
        "zone",
        "ward",
        "investor",
        "funding",
        "investment_vnd",
        "area_ha",
        "is_published",
    ]
    list_filter = ["kind", "status", "zone", "funding", "ward", "is_published"]
    list_select_related = ["ward"]
    search_fields = ["name", "investor", "slug"]
    autocomplete_fields = ["ward"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ProjectImageInline, ProjectMilestoneInline]
    actions = ["publish", "unpublish"]
    fieldsets = [
        (
            "Thông tin chung",
            {"fields": ["name", "slug", "kind", "status", "summary", "description"]},
        ),
        ("Vị trí", {"fields": ["zone", "ward", "area_ha", "households_relocated"]}),
        ("Đầu tư", {"fields": ["investor", "funding", "investment_vnd"]}),
        ("Thời gian", {"fields": ["start_year", "completion_year"]}),
        ("Hiển thị", {"fields": ["is_published", "created_at", "updated_at"]}),
    ]

    @admin.action(description="Hiển thị công khai các dự án đã chọn", permissions=["change"])
    def publish(self, request, queryset):
        changed = self._set_published(request, queryset, True)
        self.message_user(request, f"Đã hiển thị công khai {changed} dự án.")

    @admin.action(description="Ẩn các dự án đã chọn", permissions=["change"])
    def unpublish(self, request, queryset):
        changed = self._set_published(request, queryset, False)
        self.message_user(request, f"Đã ẩn {changed} dự án.")

    def _set_published(self, request, queryset, is_published):
        # Saved one by one so that signals fire and the history records the change.
        projects = list(queryset.exclude(is_published=is_published))
        message = "Hiển thị công khai." if is_published else "Ẩn khỏi trang công khai."
        with transaction.atomic():
            for project in projects:
                project.is_published = is_published
                project.save()
                self.log_change(request, project, message)
        return len(projects)


@admin.register(ProjectImage)
class ProjectImageAdmin(ThumbnailMixin, admin.ModelAdmin):
    thumbnail_size = 80
    list_display = ["thumbnail", "caption", "project", "credit", "order"]
    list_select_related = ["project"]
    search_fields = ["caption", "alt_text", "credit", "project__name"]
    autocomplete_fields = ["project"]
    fields = ["project", "image", "thumbnail", "caption", "alt_text", "credit", "order"]
    readonly_fields = ["thumbnail"]


@admin.register(ProjectMilestone)
class ProjectMilestoneAdmin(admin.ModelAdmin):
    list_display = ["project", "date", "status", "note"]
    list_select_related = ["project"]
    list_filter = ["status"]
    search_fields = ["note", "project__name"]
    autocomplete_fields = ["project"]
    date_hierarchy = "date"

from django.contrib import admin
from reversion.admin import VersionAdmin

from lechan import numbers
from lechan.admin import (
    EMPTY,
    BoundedInputMixin,
    EditorialAdmin,
    FoldedSearchMixin,
    ParentEditableMixin,
    PhotoFailureMixin,
    ThumbnailMixin,
)

from .models import Project, ProjectImage, ProjectMilestone, Ward

PUBLISH = Project.publish_permission
SHOWN, HIDDEN = Project.Visibility.SHOWN, Project.Visibility.HIDDEN


@admin.register(Ward)
class WardAdmin(BoundedInputMixin, VersionAdmin):
    fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


class ProjectImageInline(ParentEditableMixin, ThumbnailMixin, admin.TabularInline):
    model = ProjectImage
    fields = ["image", "thumbnail", "caption", "alt_text", "credit", "order"]
    readonly_fields = ["thumbnail"]
    extra = 0


class ProjectMilestoneInline(ParentEditableMixin, admin.TabularInline):
    model = ProjectMilestone
    fields = ["date", "status", "note", "order"]
    extra = 0


@admin.register(Project)
class ProjectAdmin(PhotoFailureMixin, FoldedSearchMixin, EditorialAdmin):
    number_units = {
        "investment_vnd": {
            "unit": numbers.BILLION,
            "label": "Tổng mức đầu tư (tỷ đồng)",
            "help_text": "Ví dụ “45”, “40.843” hoặc “2,5” (tỷ đồng); lưu chính xác đến đồng.",
        },
        "start_year": {"grouped": False},
        "completion_year": {"grouped": False},
    }
    list_display = [
        "name",
        "kind",
        "status",
        "zone",
        "ward",
        "investor",
        "funding",
        "investment",
        "area_ha",
        "is_published",
    ]
    list_filter = ["kind", "status", "zone", "funding", "ward", "is_published"]
    list_select_related = ["ward"]
    search_fields = ["name", "investor", "slug"]
    autocomplete_fields = ["ward"]
    readonly_fields = ["created_at", "updated_at", "status_history"]
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
        ("Lịch sử hiển thị", {"fields": ["status_history"], "classes": ["collapse"]}),
    ]

    @admin.display(description="tổng mức đầu tư (tỷ đồng)", ordering="investment_vnd")
    def investment(self, obj):
        if obj.investment_vnd is None:
            return EMPTY
        return numbers.written(numbers.in_billions(obj.investment_vnd))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if self.can_publish(request) else [*fields, "is_published"]

    def save_model(self, request, obj, form, change):
        if not change and not self.can_publish(request):
            obj.is_published = False  # shown by an editor, not by whoever added it
        super().save_model(request, obj, form, change)

    def prepare_restored(self, request, restored, stored):
        if stored is not None and not self.can_publish(request):
            restored.is_published = stored.is_published

    def may_move(self, request, obj):
        # Showing or hiding is the right to publish's alone (the actions ask for it): it
        # needs no right to change the project.
        return True

    @admin.action(description="Hiển thị công khai các dự án đã chọn", permissions=["publish"])
    def publish(self, request, queryset):
        changed = self.move_selected(request, queryset, SHOWN, "Hiển thị công khai.")
        self.message_user(request, f"Đã hiển thị công khai {changed} dự án.")

    @admin.action(description="Ẩn các dự án đã chọn", permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = self.move_selected(request, queryset, HIDDEN, "Ẩn khỏi trang công khai.")
        self.message_user(request, f"Đã ẩn {changed} dự án.")


@admin.register(ProjectImage)
class ProjectImageAdmin(PhotoFailureMixin, ParentEditableMixin, ThumbnailMixin, VersionAdmin):
    parent_field = "project"
    bulk_delete_permission = PUBLISH
    thumbnail_size = 80
    list_display = ["thumbnail", "caption", "project", "credit", "order"]
    list_select_related = ["project"]
    search_fields = ["caption", "alt_text", "credit", "project__name"]
    autocomplete_fields = ["project"]
    fields = ["project", "image", "thumbnail", "caption", "alt_text", "credit", "order"]
    readonly_fields = ["thumbnail"]


@admin.register(ProjectMilestone)
class ProjectMilestoneAdmin(ParentEditableMixin, VersionAdmin):
    parent_field = "project"
    bulk_delete_permission = PUBLISH
    list_display = ["project", "date", "status", "note"]
    list_select_related = ["project"]
    list_filter = ["status"]
    search_fields = ["note", "project__name"]
    autocomplete_fields = ["project"]
    date_hierarchy = "date"

from django import forms
from django.contrib import admin
from django.db import models
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django_prose_editor.widgets import AdminProseEditorWidget
from reversion.admin import VersionAdmin

from lechan import numbers
from lechan.admin import (
    BoundedInputMixin,
    EditorialAdmin,
    FoldedSearchMixin,
    ParentEditableMixin,
    PhotoFailureMixin,
    ThumbnailMixin,
    VersionedForm,
)
from lechan.editorial import workflow

from .models import Article, ArticleImage, Category, Event, KeyFigure, Person, Tag

PUBLISH = Article.publish_permission
# What the body editor offers: what lechan.html.clean_html keeps, nothing more.
BODY_EDITOR = {
    "extensions": {
        "Bold": True,
        "Italic": True,
        "Heading": {"levels": [2, 3, 4]},
        "BulletList": True,
        "OrderedList": True,
        "ListItem": True,
        "Blockquote": True,
        "HardBreak": True,
        "Link": {"enableTarget": False},
        "History": True,
    }
}


@admin.register(Category)
class CategoryAdmin(BoundedInputMixin, VersionAdmin):
    fields = ["name", "slug", "description", "order"]
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]


@admin.register(Tag)
class TagAdmin(BoundedInputMixin, VersionAdmin):
    fields = ["name", "slug"]
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Person)
class PersonAdmin(BoundedInputMixin, VersionAdmin):
    fields = ["name", "slug", "position"]
    list_display = ["name", "position", "slug"]
    search_fields = ["name", "position", "slug"]


@admin.register(Event)
class EventAdmin(BoundedInputMixin, VersionAdmin):
    fields = ["name", "slug", "start_date", "end_date", "location", "description"]
    list_display = ["name", "start_date", "end_date", "location"]
    list_filter = ["start_date"]
    search_fields = ["name", "location", "slug"]
    date_hierarchy = "start_date"


class ArticleImageInline(ParentEditableMixin, ThumbnailMixin, admin.TabularInline):
    model = ArticleImage
    fields = ["image", "thumbnail", "caption", "alt_text", "credit", "position", "order"]
    readonly_fields = ["thumbnail"]
    extra = 0


class KeyFigureInline(ParentEditableMixin, admin.TabularInline):
    model = KeyFigure
    fields = ["label", "qualifier", "value", "unit", "period", "project", "order"]
    autocomplete_fields = ["project"]
    extra = 0


class ArticleAdminForm(VersionedForm):
    """Offers only the moves the editor may make from the article's stored state."""

    class Meta:
        widgets = {"body": AdminProseEditorWidget(config=BODY_EDITOR, preset="configurable")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "body" in self.fields:
            self.fields["body"].help_text = (
                "Đoạn văn, tiêu đề mục, chữ đậm, nghiêng, liên kết, danh sách, trích dẫn. "
                "Văn bản dán từ Word hay trang web được làm sạch khi lưu."
            )
        if "status" in self.fields:
            current = self.instance.status if self.instance.pk else None
            allowed = self.instance.next_states(self.request.user, current)
            self.fields["status"].choices = [(s, Article.Status(s).label) for s in allowed]
            if current is None and allowed:
                self.fields["status"].initial = allowed[0]

    def clean_status(self):
        status = self.cleaned_data["status"]
        current = self.instance.status if self.instance.pk else None
        if refused := self.instance.refusal(current, status, self.request.user):
            raise forms.ValidationError(refused)
        return status


@admin.register(Article)
class ArticleAdmin(PhotoFailureMixin, FoldedSearchMixin, EditorialAdmin):
    form = ArticleAdminForm

    class Media:
        js = ["js/prose-editor-vi.js"]  # after the admin's JavaScript catalogue

    list_display = [
        "title",
        "kind",
        "status_label",
        "published_when",
        "category",
        "speaker_name",
        "author",
        "is_featured",
    ]
    list_filter = ["status", "kind", "category", "is_featured", "published_at"]
    list_select_related = ["category", "speaker", "author"]
    search_fields = ["title", "lead", "slug", "speaker__name"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["category", "speaker", "event", "tags", "projects"]
    readonly_fields = ["author", "created_at", "updated_at", "status_history"]
    inlines = [ArticleImageInline, KeyFigureInline]
    actions = ["submit_for_review", "publish", "unpublish", "archive"]
    save_on_top = True
    # An address typed without a scheme becomes https://…, Django 6.0's default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        ("Nội dung", {"fields": ["title", "slug", "kind", "lead", "body"]}),
        (
            "Xuất bản",
            {
                "fields": ["status", "published_at", "is_featured", "author"],
                "description": (
                    "Phóng viên lưu bản nháp rồi chọn “Chờ duyệt” để gửi biên tập viên. "
                    "Biên tập viên chọn “Đã xuất bản”: thời điểm xuất bản trong tương lai là "
                    "hẹn giờ, bài tự lên trang vào đúng phút đó."
                ),
            },
        ),
        ("Phân loại", {"fields": ["category", "tags", "event", "event_day", "projects"]}),
        (
            "Nguồn và tác giả",
            {"fields": ["speaker", "reporter", "photographer", "source_name", "source_url"]},
        ),
        (
            "Lịch sử trạng thái",
            {"fields": ["status_history", "created_at", "updated_at"], "classes": ["collapse"]},
        ),
    ]

    @admin.display(description="trạng thái", ordering="status")
    def status_label(self, obj):
        if obj.is_scheduled:
            return f"Hẹn giờ ({workflow.schedule_note(obj.published_at).removeprefix('hẹn giờ ')})"
        return obj.get_status_display()

    @admin.display(description="người phát biểu", ordering="speaker__name")
    def speaker_name(self, obj):
        # The name alone: with the position ("…, Bí thư Quận ủy …") the column runs to 7 lines.
        return obj.speaker.name if obj.speaker else None

    @admin.display(description="thời điểm xuất bản", ordering="published_at")
    def published_when(self, obj):
        # "15/10/2020 10:51" rather than "10:51 Ngày 15 tháng 10 năm 2020": a narrow column.
        if obj.published_at is None:
            return None
        return date_format(localtime(obj.published_at), "SHORT_DATETIME_FORMAT")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.can_publish(request):
            fields += ["published_at", "is_featured"]
        return fields

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.is_editable_by(request.user))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.is_editable_by(request.user))

    def save_model(self, request, obj, form, change):
        if not change:
            obj.author = request.user
        super().save_model(request, obj, form, change)

    def prepare_restored(self, request, restored, stored):
        # Without the right to publish, a restore changes the text, never the state.
        if stored is not None and not self.can_publish(request):
            restored.status, restored.published_at = stored.status, stored.published_at
            restored.is_featured = stored.is_featured

    @admin.action(description="Gửi duyệt các bài đã chọn", permissions=["change"])
    def submit_for_review(self, request, queryset):
        changed = self._move(request, queryset, Article.Status.REVIEW)
        self.message_user(request, f"Đã gửi duyệt {changed} bài viết.")

    @admin.action(description="Xuất bản các bài đã chọn", permissions=["publish"])
    def publish(self, request, queryset):
        changed = self._move(request, queryset, Article.Status.PUBLISHED)
        self.message_user(request, f"Đã xuất bản {changed} bài viết.")

    @admin.action(description="Gỡ các bài đã chọn", permissions=["publish"])
    def unpublish(self, request, queryset):
        changed = self._move(request, queryset, Article.Status.UNPUBLISHED)
        self.message_user(request, f"Đã gỡ {changed} bài viết.")

    @admin.action(description="Lưu trữ các bài đã chọn", permissions=["publish"])
    def archive(self, request, queryset):
        changed = self._move(request, queryset, Article.Status.ARCHIVED)
        self.message_user(request, f"Đã lưu trữ {changed} bài viết.")

    def _move(self, request, queryset, status):
        message = f"Đổi trạng thái thành “{Article.Status(status).label}”."
        return self.move_selected(request, queryset, status, message)


@admin.register(ArticleImage)
class ArticleImageAdmin(PhotoFailureMixin, ParentEditableMixin, ThumbnailMixin, VersionAdmin):
    parent_field = "article"
    bulk_delete_permission = PUBLISH
    thumbnail_size = 80
    list_display = ["thumbnail", "caption", "article", "credit", "position"]
    list_select_related = ["article"]
    search_fields = ["caption", "alt_text", "credit", "article__title"]
    autocomplete_fields = ["article"]
    fields = [
        "article",
        "image",
        "thumbnail",
        "caption",
        "alt_text",
        "credit",
        "position",
        "order",
    ]
    readonly_fields = ["thumbnail"]


@admin.register(KeyFigure)
class KeyFigureAdmin(ParentEditableMixin, VersionAdmin):
    parent_field = "article"
    bulk_delete_permission = PUBLISH
    list_display = ["label", "qualifier", "figure", "unit", "period", "article", "project"]
    list_select_related = ["article", "project"]
    list_filter = ["unit"]
    search_fields = ["label", "period", "article__title", "project__name"]
    autocomplete_fields = ["article", "project"]

    @admin.display(description="giá trị", ordering="value")
    def figure(self, obj):
        return numbers.written(obj.value)

from django.contrib import admin
from django.db import models, transaction

from lechan.admin import FoldedSearchMixin, ThumbnailMixin

from .models import Article, ArticleImage, Category, Event, KeyFigure, Person, Tag


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order"]
    list_editable = ["order"]
    search_fields = ["name", "slug", "description"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name", "slug"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "slug"]
    search_fields = ["name", "position", "slug"]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "start_date", "end_date", "location"]
    list_filter = ["start_date"]
    search_fields = ["name", "location", "slug"]
    date_hierarchy = "start_date"


class ArticleImageInline(ThumbnailMixin, admin.TabularInline):
    model = ArticleImage
    fields = ["image", "thumbnail", "caption", "alt_text", "credit", "position", "order"]
    readonly_fields = ["thumbnail"]
    extra = 0


class KeyFigureInline(admin.TabularInline):
    model = KeyFigure
    fields = ["label", "qualifier", "value", "unit", "period", "project", "order"]
    autocomplete_fields = ["project"]
    extra = 0


@admin.register(Article)
class ArticleAdmin(FoldedSearchMixin, admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "status",
        "published_at",
        "category",
        "speaker",
        "is_featured",
    ]
    list_filter = ["status", "kind", "category", "is_featured", "published_at"]
    list_select_related = ["category", "speaker"]
    search_fields = ["title", "lead", "slug", "speaker__name"]
    date_hierarchy = "published_at"
    autocomplete_fields = ["category", "speaker", "event", "tags", "projects"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ArticleImageInline, KeyFigureInline]
    actions = ["publish", "unpublish"]
    save_on_top = True
    # An address typed without a scheme becomes https://…, Django 6.0's default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        ("Nội dung", {"fields": ["title", "slug", "kind", "lead", "body"]}),
        (
            "Xuất bản",
            {"fields": ["status", "published_at", "is_featured", "created_at", "updated_at"]},
        ),
        ("Phân loại", {"fields": ["category", "tags", "event", "event_day", "projects"]}),
        (
            "Nguồn và tác giả",
            {"fields": ["speaker", "reporter", "photographer", "source_name", "source_url"]},
        ),
    ]

    @admin.action(description="Xuất bản các bài đã chọn", permissions=["change"])
    def publish(self, request, queryset):
        changed = self._set_status(request, queryset, Article.Status.PUBLISHED)
        self.message_user(request, f"Đã xuất bản {changed} bài viết.")

    @admin.action(description="Gỡ các bài đã chọn", permissions=["change"])
    def unpublish(self, request, queryset):
        changed = self._set_status(request, queryset, Article.Status.UNPUBLISHED)
        self.message_user(request, f"Đã gỡ {changed} bài viết.")

    def _set_status(self, request, queryset, status):
        # Saved one by one so that save() fills published_at, signals fire and history records it.
        label = Article.Status(status).label
        articles = list(queryset.exclude(status=status))
        with transaction.atomic():
            for article in articles:
                article.status = status
                article.save()
                self.log_change(request, article, f"Đổi trạng thái thành “{label}”.")
        return len(articles)


@admin.register(ArticleImage)
class ArticleImageAdmin(ThumbnailMixin, admin.ModelAdmin):
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
class KeyFigureAdmin(admin.ModelAdmin):
    list_display = ["label", "qualifier", "value", "unit", "period", "article", "project"]
    list_select_related = ["article", "project"]
    list_filter = ["unit"]
    search_fields = ["label", "period", "article__title", "project__name"]
    autocomplete_fields = ["article", "project"]

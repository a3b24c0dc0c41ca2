from django.db.models import BooleanField, Case, Exists, OuterRef, Q, Value, When
from django.views.generic import DetailView
from django_filters.views import FilterView

from articles.filters import ArticleFilter
from articles.models import Article
from lechan.preview import PreviewMixin
from projects.models import Project

OTHER_NEWS_COUNT = 6


class ArticleListView(FilterView):
    filterset_class = ArticleFilter
    template_name = "articles/article_list.html"
    paginate_by = 20

    def get_queryset(self):
        return Article.objects.published().for_cards()


class ArticleDetailView(PreviewMixin, DetailView):
    model = Article
    template_name = "articles/article_detail.html"

    def get_base_queryset(self):
        return Article.objects.select_related("category", "speaker", "event")

    def get_context_data(self, **kwargs):
        article = self.object
        images = list(article.images.all())
        return super().get_context_data(
            images=images,
            blocks=article.body_with_figures(images),
            key_figures=article.key_figures.all(),
            tags=article.tags.all(),
            projects=article.projects.published().for_cards(),
            other_articles=other_articles(article),
            **kwargs,
        )


def other_articles(article, count=OTHER_NEWS_COUNT):
    """ "Tin khác": related articles first (category, speaker or project), then the latest."""
    related = Q(pk__in=[])
    if article.category_id:
        related |= Q(category_id=article.category_id)
    if article.speaker_id:
        related |= Q(speaker_id=article.speaker_id)
    shares_project = Article.projects.through.objects.filter(
        article_id=OuterRef("pk"),
        project_id__in=Project.objects.filter(articles=article.pk).values("pk"),
    )
    return (
        Article.objects.published()
        .for_cards()
        .exclude(pk=article.pk)
        .annotate(
            # Case, not a bare condition: NULL comparisons would sort first on PostgreSQL.
            is_related=Case(
                When(related | Exists(shares_project), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_related", "-published_at", "-pk")[:count]
    )

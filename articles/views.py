from operator import attrgetter

from django.utils.functional import SimpleLazyObject
from django.views.generic import DetailView
from django_filters.views import FilterView

from articles.filters import ArticleFilter, KeyFigureFilter
from articles.models import Article, KeyFigure
from articles.queries import other_articles, published_years, year_of
from lechan.editorial.preview import PreviewMixin
from lechan.lists.exports import Column, ExportMixin, choice
from lechan.lists.views import FacetedFilterView


class ArticleListView(FacetedFilterView):
    filterset_class = ArticleFilter
    template_name = "articles/article_list.html"
    paginate_by = 20
    facets = ("kind",)
    model_facets = ("category", "tag", "speaker", "event", "project")

    def get_queryset(self):
        return Article.objects.published().for_cards()

    def snippet(self, article):
        return article.lead or article.body

    def facet_expressions(self):
        self.years = published_years()
        # A chosen year beyond those listed is counted as itself: the list's total is
        # read from the facet counts.
        chosen = self.filterset.form.cleaned_data.get("year")
        years = self.years
        if chosen is not None and chosen == int(chosen) and int(chosen) not in years:
            years = sorted({*years, int(chosen)}, reverse=True)
        return {"year": year_of("published_at", years)}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if context["filter"].is_valid():
            counts = context["facet_counts"]["year"]
            context["year_facets"] = [(year, counts[year]) for year in self.years if counts[year]]
        return context


class ArticleDetailView(PreviewMixin, DetailView):
    model = Article
    template_name = "articles/article_detail.html"

    def get_context_data(self, **kwargs):
        # Only the article itself is read here; the rest is built on first use, so a page
        # whose fragments come from the cache neither builds nor runs these queries.
        article = self.object
        images = SimpleLazyObject(lambda: list(article.images.all()))
        return super().get_context_data(
            images=images,
            blocks=SimpleLazyObject(lambda: article.body_with_figures(images)),
            key_figures=SimpleLazyObject(lambda: list(article.key_figures.all())),
            tags=SimpleLazyObject(lambda: list(article.tags.all())),
            projects=SimpleLazyObject(lambda: list(article.projects.published().for_cards())),
            other_articles=SimpleLazyObject(lambda: list(other_articles(article))),
            **kwargs,
        )


def public_project_field(figure, field):
    """A field of the figure's project; blank without one, or if the register hides it."""
    project = figure.project
    return getattr(project, field) if project and project.is_published else ""


FIGURE_COLUMNS = (
    Column("label", "Nội dung", attrgetter("label")),
    choice("qualifier", "Mức độ"),
    Column("value", "Giá trị", attrgetter("value")),
    Column("unit", "Đơn vị", attrgetter("unit")),
    Column("period", "Thời kỳ", attrgetter("period")),
    Column("article", "Bài viết nguồn", lambda f: f.article.title),
    Column("article_slug", "Đường dẫn bài viết", lambda f: f.article.slug),
    Column("project", "Dự án", lambda f: public_project_field(f, "name")),
    Column("project_slug", "Đường dẫn dự án", lambda f: public_project_field(f, "slug")),
)


class KeyFigureListView(ExportMixin, FilterView):
    """The figures published articles state, as a table and as open data."""

    filterset_class = KeyFigureFilter
    template_name = "articles/keyfigure_list.html"
    paginate_by = 50
    export_columns = FIGURE_COLUMNS
    export_filename = "so-lieu-le-chan"

    def get_queryset(self):
        return (
            KeyFigure.objects.published()
            .select_related("article", "project")
            .order_by("article__published_at", "order", "pk")
        )

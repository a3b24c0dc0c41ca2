import django_filters

from articles.models import Article, Category, Event, KeyFigure, Person, Tag
from lechan import search
from lechan.collation import Folded
from lechan.lists.filters import ListFilterSet, SearchFilterSet
from lechan.lists.widgets import DateRangeWidget
from projects.models import Project

SORT_CHOICES = [
    ("relevance", "Liên quan nhất"),
    ("newest", "Mới nhất"),
    ("oldest", "Cũ nhất"),
]


class ArticleFilter(SearchFilterSet):
    # A category is a list of its own (its feeds, its sitemap entry): its canonical URL keeps it.
    canonical_parameters = ["category"]

    category = django_filters.ModelChoiceFilter(
        label="Chuyên mục", queryset=Category.objects.all(), to_field_name="slug"
    )
    kind = django_filters.ChoiceFilter(label="Thể loại", choices=Article.Kind.choices)
    tag = django_filters.ModelChoiceFilter(
        label="Thẻ", field_name="tags", queryset=Tag.objects.all(), to_field_name="slug"
    )
    speaker = django_filters.ModelChoiceFilter(
        label="Người phát biểu", queryset=Person.objects.all(), to_field_name="slug"
    )
    event = django_filters.ModelChoiceFilter(
        label="Sự kiện", queryset=Event.objects.all(), to_field_name="slug"
    )
    project = django_filters.ModelChoiceFilter(
        label="Dự án",
        field_name="projects",
        # Only public ones (and, as every choice, only those a listed article has).
        queryset=Project.objects.published(),
        to_field_name="slug",
    )
    date = django_filters.DateFromToRangeFilter(
        label="Từ ngày – đến ngày",
        field_name="published_at",
        widget=DateRangeWidget(),
    )
    year = django_filters.NumberFilter(
        label="Năm", field_name="published_at", lookup_expr="year", min_value=1900, max_value=2999
    )
    sort = django_filters.ChoiceFilter(
        label="Sắp xếp", choices=SORT_CHOICES, method="keep", empty_label="Mặc định"
    )

    class Meta:
        model = Article
        fields = []

    def keep(self, queryset, name, value):
        return queryset  # ordering is applied last, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort")
        has_query = bool(search.parse(self.form.cleaned_data.get("q")))
        if sort == "oldest":
            return queryset.order_by("published_at", "pk")
        if has_query and sort in ("", None, "relevance"):
            return queryset.order_by("-search_rank", "-published_at", "-pk")
        return queryset.order_by("-published_at", "-pk")


# Called for each request (a queryset built at import would keep that moment's now()).
def figure_articles(request):
    """The published articles that state a figure."""
    return Article.objects.published().filter(key_figures__isnull=False).distinct()


def figure_projects(request):
    """The public projects a published article states a figure of."""
    return (
        Project.objects.published()
        .filter(key_figures__article__in=Article.objects.published())
        .distinct()
    )


class KeyFigureFilter(ListFilterSet):
    q = django_filters.CharFilter(label="Nội dung", method="filter_q")
    article = django_filters.ModelChoiceFilter(
        label="Bài viết nguồn", queryset=figure_articles, to_field_name="slug"
    )
    project = django_filters.ModelChoiceFilter(
        label="Dự án", queryset=figure_projects, to_field_name="slug"
    )
    period = django_filters.CharFilter(label="Thời kỳ")

    class Meta:
        model = KeyFigure
        fields = []

    def filter_q(self, queryset, name, value):
        """Every word of the query in the label, with or without tone marks."""
        queryset = queryset.alias(label_folded=Folded("label"))
        for word in search.tokens(value):
            queryset = queryset.filter(label_folded__contains=word)
        return queryset

import django_filters
from django.db.models import Q

from articles.models import Article, Category, Event, Person, Tag
from projects.models import Project


class ArticleFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Từ khóa", method="filter_q")
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
        label="Dự án", field_name="projects", queryset=Project.objects.all(), to_field_name="slug"
    )
    year = django_filters.NumberFilter(
        label="Năm", field_name="published_at", lookup_expr="year", min_value=1900, max_value=2999
    )

    class Meta:
        model = Article
        fields = ["q", "category", "kind", "tag", "speaker", "event", "project", "year"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(title__icontains=word) | Q(lead__icontains=word))
        return queryset

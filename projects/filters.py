import django_filters
from django.db.models import Q

from projects.models import Project, Ward


class ProjectFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label="Từ khóa", method="filter_q")
    kind = django_filters.ChoiceFilter(label="Loại", choices=Project.Kind.choices)
    status = django_filters.ChoiceFilter(label="Tình trạng", choices=Project.Status.choices)
    zone = django_filters.ChoiceFilter(label="Khu vực", choices=Project.Zone.choices)
    ward = django_filters.ModelChoiceFilter(
        label="Phường", queryset=Ward.objects.all(), to_field_name="slug"
    )
    funding = django_filters.ChoiceFilter(label="Nguồn vốn", choices=Project.Funding.choices)

    class Meta:
        model = Project
        fields = ["q", "kind", "status", "zone", "ward", "funding"]

    def filter_q(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(summary__icontains=word) | Q(investor__icontains=word)
            )
        return queryset

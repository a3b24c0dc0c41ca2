import django_filters
from django.db.models import F

from lechan import search
from lechan.collation import Folded, vietnamese
from lechan.lists.filters import ScaledRangeFilter, SearchFilterSet
from lechan.lists.widgets import RangeWidget
from lechan.numbers import BILLION
from lechan.text import fold
from projects.models import Project, Ward

SORT_CHOICES = [
    ("relevance", "Liên quan nhất"),
    ("name", "Tên (A–Z)"),
    ("-name", "Tên (Z–A)"),
    ("-area", "Diện tích lớn nhất"),
    ("area", "Diện tích nhỏ nhất"),
    ("-investment", "Vốn đầu tư lớn nhất"),
    ("investment", "Vốn đầu tư nhỏ nhất"),
    ("-year", "Khởi công gần nhất"),
    ("year", "Khởi công sớm nhất"),
]
SORT_FIELDS = {"area": "area_ha", "investment": "investment_vnd", "year": "start_year"}


class ProjectFilter(SearchFilterSet):
    kind = django_filters.ChoiceFilter(label="Loại", choices=Project.Kind.choices)
    status = django_filters.ChoiceFilter(label="Tình trạng", choices=Project.Status.choices)
    zone = django_filters.ChoiceFilter(label="Khu vực", choices=Project.Zone.choices)
    ward = django_filters.ModelChoiceFilter(
        label="Phường", queryset=Ward.objects.all(), to_field_name="slug"
    )
    funding = django_filters.ChoiceFilter(label="Nguồn vốn", choices=Project.Funding.choices)
    investor = django_filters.CharFilter(label="Chủ đầu tư", method="filter_investor")
    area = django_filters.RangeFilter(
        widget=RangeWidget(), label="Diện tích (ha)", field_name="area_ha"
    )
    investment = ScaledRangeFilter(  # the reader types tỷ đồng; the register stores đồng
        widget=RangeWidget(),
        label="Vốn đầu tư (tỷ đồng)",
        field_name="investment_vnd",
        scale=BILLION,
    )
    households = django_filters.RangeFilter(
        widget=RangeWidget(), label="Số hộ phải di dời", field_name="households_relocated"
    )
    start_year = django_filters.RangeFilter(widget=RangeWidget(), label="Năm khởi công")
    completion_year = django_filters.RangeFilter(widget=RangeWidget(), label="Năm hoàn thành")
    sort = django_filters.ChoiceFilter(
        label="Sắp xếp", choices=SORT_CHOICES, method="keep", empty_label="Mặc định"
    )

    class Meta:
        model = Project
        fields = []

    def filter_investor(self, queryset, name, value):
        """Part of the investor's name, with or without tone marks or capitals."""
        return queryset.alias(investor_folded=Folded("investor")).filter(
            investor_folded__contains=fold(value)
        )

    def keep(self, queryset, name, value):
        return queryset  # ordering is applied last, in filter_queryset

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        sort = self.form.cleaned_data.get("sort") or ""
        has_query = bool(search.parse(self.form.cleaned_data.get("q")))
        if sort in ("", "relevance") and has_query:
            return queryset.order_by("-search_rank", vietnamese("name").asc(), "pk")
        field = SORT_FIELDS.get(sort.lstrip("-"))
        if field:
            # Unknown values (null) go last either way.
            if sort.startswith("-"):
                expression = F(field).desc(nulls_last=True)
            else:
                expression = F(field).asc(nulls_last=True)
            return queryset.order_by(expression, vietnamese("name").asc(), "pk")
        name = vietnamese("name")
        return queryset.order_by(name.desc() if sort == "-name" else name.asc(), "pk")

from operator import attrgetter

from django.views.generic import DetailView

from lechan.editorial.preview import PreviewMixin
from lechan.lists.exports import Column, ExportMixin, choice
from lechan.lists.views import FacetedFilterView
from projects.filters import ProjectFilter
from projects.models import Project

EXPORT_COLUMNS = (
    Column("name", "Tên dự án", attrgetter("name")),
    Column("slug", "Đường dẫn", attrgetter("slug")),
    choice("kind", "Loại"),
    choice("status", "Tình trạng"),
    choice("zone", "Khu vực"),
    Column("ward", "Phường", lambda p: p.ward.name if p.ward else ""),
    Column("investor", "Chủ đầu tư", attrgetter("investor")),
    choice("funding", "Nguồn vốn"),
    Column("investment_vnd", "Tổng mức đầu tư (đồng)", attrgetter("investment_vnd")),
    Column("area_ha", "Diện tích (ha)", attrgetter("area_ha")),
    Column("households_relocated", "Số hộ phải di dời", attrgetter("households_relocated")),
    Column("start_year", "Năm khởi công", attrgetter("start_year")),
    Column("completion_year", "Năm hoàn thành", attrgetter("completion_year")),
    Column("summary", "Tóm tắt", attrgetter("summary")),
    Column("updated_at", "Cập nhật", attrgetter("updated_at")),
)


class ProjectListView(ExportMixin, FacetedFilterView):
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    paginate_by = 30
    facets = ("kind", "status", "zone", "funding")
    model_facets = ("ward",)
    export_columns = EXPORT_COLUMNS
    export_filename = "du-an-le-chan"

    def get_queryset(self):
        return Project.objects.published().for_cards()

    def snippet(self, project):
        return project.summary or project.description


class ProjectDetailView(PreviewMixin, DetailView):
    model = Project
    template_name = "projects/project_detail.html"

    def get_base_queryset(self):
        return Project.objects.select_related("ward")

    def get_context_data(self, **kwargs):
        project = self.object
        # The reverse relations reach articles without importing the articles app.
        return super().get_context_data(
            milestones=project.milestones.all(),
            images=project.images.all(),
            key_figures=project.key_figures.published(),
            articles=project.articles.published().for_cards(),
            **kwargs,
        )

from django.views.generic import DetailView
from django_filters.views import FilterView

from lechan.preview import PreviewMixin
from projects.filters import ProjectFilter
from projects.models import Project


class ProjectListView(FilterView):
    filterset_class = ProjectFilter
    template_name = "projects/project_list.html"
    paginate_by = 30

    def get_queryset(self):
        return Project.objects.published().for_cards()


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
            key_figures=project.key_figures.all(),
            articles=project.articles.published().for_cards(),
            **kwargs,
        )

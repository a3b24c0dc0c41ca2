"""Site-level views: the home page and the site search, over both apps."""

from django.db.models import Count, Q
from django.views.generic import TemplateView

from articles.models import Article, KeyFigure
from projects.models import Project

HOME_LATEST = 8
HOME_FIGURES = 8
SEARCH_LIMIT = 20


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        articles = Article.objects.published().for_cards()
        projects = Project.objects.published()
        status_labels = dict(Project.Status.choices)
        return super().get_context_data(
            featured=articles.filter(is_featured=True)[:1],
            latest=articles[:HOME_LATEST],
            projects=projects.for_cards().order_by("-updated_at")[:6],
            project_statuses=[
                {
                    "value": row["status"],
                    "label": status_labels.get(row["status"], "Chưa rõ"),
                    "count": row["n"],
                }
                for row in projects.values("status").annotate(n=Count("pk")).order_by("status")
            ],
            key_figures=KeyFigure.objects.filter(
                article__in=Article.objects.published()
            ).select_related("article")[:HOME_FIGURES],
            **kwargs,
        )


class SearchView(TemplateView):
    template_name = "search.html"

    def get_context_data(self, **kwargs):
        query = self.request.GET.get("q", "").replace("\x00", "").strip()[:200]
        articles, projects = Article.objects.none(), Project.objects.none()
        if query:
            article_match, project_match = Q(), Q()
            for word in query.split():
                article_match &= Q(title__icontains=word) | Q(lead__icontains=word)
                project_match &= Q(name__icontains=word) | Q(summary__icontains=word)
            articles = Article.objects.published().for_cards().filter(article_match)
            projects = Project.objects.published().for_cards().filter(project_match)
        return super().get_context_data(
            query=query,
            articles=articles[:SEARCH_LIMIT],
            projects=projects[:SEARCH_LIMIT],
            **kwargs,
        )

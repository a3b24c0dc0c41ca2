"""Site-level views: the home page and the site search, over both apps."""

from django.core.paginator import Paginator
from django.db.models import Count
from django.views.generic import TemplateView

from articles.models import Article, KeyFigure
from lechan import search
from projects.models import Project

HOME_LATEST = 8
HOME_FIGURES = 8


class HomeView(TemplateView):
    template_name = "home.html"

    def get_context_data(self, **kwargs):
        articles = Article.objects.published().for_cards()
        projects = Project.objects.published()
        status_labels = dict(Project.Status.choices)
        return super().get_context_data(
            featured=articles.filter(is_featured=True)[:1],
            latest=articles[:HOME_LATEST],
            # pk breaks ties: the seed's projects share one updated_at.
            projects=projects.for_cards().order_by("-updated_at", "-pk")[:6],
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


def count_label(count, cap):
    return f"hơn {cap:,}".replace(",", ".") if count > cap else count


class RankedResults:
    """Articles and projects merged by search rank, sliced lazily for the paginator.

    The ranking reads only (id, rank, date) from each queryset, never whole rows,
    then fetches the page's own rows: four queries a page, whatever the matches.
    """

    def __init__(self, querysets, total):
        self.querysets = querysets
        self.total = total

    def __len__(self):
        return self.total

    def __getitem__(self, page):
        ranked = [
            (rank, updated_at, index, pk)
            for index, queryset in enumerate(self.querysets)
            for pk, rank, updated_at in queryset.values_list("pk", "search_rank", "updated_at")[
                : page.stop
            ]
        ]
        ranked.sort(reverse=True)
        chosen = ranked[page]
        rows = {}
        for index, queryset in enumerate(self.querysets):
            wanted = [pk for *_, i, pk in chosen if i == index]
            if wanted:
                # A plain queryset here: no need to run the full-text match again.
                found = queryset.model.objects.for_cards().in_bulk(wanted)
                rows.update({(index, pk): obj for pk, obj in found.items()})
        return [rows[index, pk] for *_, index, pk in chosen]


class SearchView(TemplateView):
    """Articles and projects together, ranked, with highlighted snippets."""

    template_name = "search.html"
    paginate_by = 20
    max_pages = 50

    def get_context_data(self, **kwargs):
        q = self.request.GET.get("q", "")[: search.MAX_QUERY_LENGTH]
        scope = self.request.GET.get("loai", "")
        query = search.parse(q)
        q = q.replace("\x00", "")
        context = super().get_context_data(q=q, query=query, scope=scope, **kwargs)
        if not query:
            return context
        articles = search.search(Article.objects.published().for_cards(), query).order_by(
            "-search_rank", "-published_at", "-pk"
        )
        projects = search.search(Project.objects.published().for_cards(), query).order_by(
            "-search_rank", "-updated_at", "-pk"
        )
        # Counting stops past the last reachable page: no full count of a common word.
        cap = self.paginate_by * self.max_pages
        counts = {
            "articles": articles.order_by()[: cap + 1].count(),
            "projects": projects.order_by()[: cap + 1].count(),
        }
        if scope == "bai-viet":
            results = RankedResults([articles], counts["articles"])
        elif scope == "du-an":
            results = RankedResults([projects], counts["projects"])
        else:
            results = RankedResults([articles, projects], sum(counts.values()))
        paginator = Paginator(results, self.paginate_by)
        page = paginator.get_page(min(self._page_number(), self.max_pages))
        context.update(
            counts={name: count_label(n, cap) for name, n in counts.items()},
            total=count_label(sum(counts.values()), cap),
            page_obj=page,
            paginator=paginator,
            results=[self._result(obj, query) for obj in page.object_list],
        )
        return context

    def _page_number(self):
        try:
            return max(1, int(self.request.GET.get("page", 1)))
        except ValueError:
            return 1

    @staticmethod
    def _result(obj, query):
        if isinstance(obj, Article):
            kind, title, text = "Bài viết", obj.title, obj.lead
            if not search.highlight(text, query).count("<mark>"):
                text = obj.body
        else:
            kind, title, text = "Dự án", obj.name, obj.summary or obj.description
        return {
            "object": obj,
            "kind": kind,
            "title": search.highlight(title, query, length=1000),
            "snippet": search.highlight(text, query),
        }

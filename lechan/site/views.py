"""Site-level views: the home page and the site search, over both apps."""

import operator
from dataclasses import dataclass
from functools import partial

from django.core.paginator import Paginator
from django.utils.functional import SimpleLazyObject
from django.views.generic import TemplateView

from articles.models import Article, KeyFigure
from lechan import search
from lechan.lists.views import page_number
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
                for row in projects.status_counts()
            ],
            key_figures=KeyFigure.objects.published().select_related("article")[:HOME_FIGURES],
            **kwargs,
        )


def count_label(count, cap):
    return f"hơn {cap:,}".replace(",", ".") if count > cap else count


@dataclass
class Ranked:
    """One kind of search result: its rows (ordered for ties), how they match, how many."""

    queryset: object
    loose: bool
    date_field: str
    count: int


class RankedResults:
    """Articles and projects merged by search rank, sliced lazily for the paginator.

    Each kind gives its best rows up to the end of the page (search.best), merged by
    rank, then date (newer wins ties). A first page reads whole rows at once; a later
    one ranks on ids and dates only, then fetches its own rows.
    """

    def __init__(self, kinds, query, direct_rows):
        self.kinds = kinds
        self.query = query
        self.direct_rows = direct_rows

    def __len__(self):
        return sum(kind.count for kind in self.kinds)

    def __getitem__(self, page):
        direct = page.stop <= self.direct_rows
        ranked = []
        for index, kind in enumerate(self.kinds):
            queryset = kind.queryset
            if not direct:
                queryset = queryset.select_related(None).only("pk", kind.date_field)
            rows = search.best(queryset, self.query, page.stop, loose=kind.loose)
            ranked += [
                ((row.search_rank, getattr(row, kind.date_field), -position, index), row)
                for position, row in enumerate(rows)
            ]
        ranked.sort(key=lambda pair: pair[0], reverse=True)
        chosen = [row for _, row in ranked[page]]
        if direct:
            return chosen
        rows = {}
        for kind in self.kinds:
            wanted = [row.pk for row in chosen if isinstance(row, kind.queryset.model)]
            if wanted:
                # A plain queryset here: no need to run the full-text match again.
                rows.update(
                    {(type(obj), pk): obj for pk, obj in kind.queryset.in_bulk(wanted).items()}
                )
        return [rows[type(row), row.pk] for row in chosen]


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
        # Built on first use: a results fragment from the cache runs no query at all.
        found = SimpleLazyObject(lambda: self._results(query, scope))
        context.update(
            {
                name: SimpleLazyObject(partial(operator.itemgetter(name), found))
                for name in ("counts", "total", "page_obj", "paginator", "results")
            }
        )
        return context

    def _results(self, query, scope):
        # Counting stops past the last reachable page: no full count of a common word.
        cap = self.paginate_by * self.max_pages
        articles = self._kind(Article.objects.published(), query, cap, "published_at")
        projects = self._kind(Project.objects.published(), query, cap, "updated_at")
        counts = {"articles": articles.count, "projects": projects.count}
        kinds = {"bai-viet": [articles], "du-an": [projects]}.get(scope, [articles, projects])
        results = RankedResults(kinds, query, self.paginate_by)
        paginator = Paginator(results, self.paginate_by)
        page = paginator.get_page(min(self._page_number(), self.max_pages))
        return {
            "counts": {name: count_label(n, cap) for name, n in counts.items()},
            "total": count_label(sum(counts.values()), cap),
            "page_obj": page,
            "paginator": paginator,
            "results": [self._result(obj, query) for obj in page.object_list],
        }

    @staticmethod
    def _kind(queryset, query, cap, date_field):
        """The kind's ranked matches and their capped count; loose only when none is exact."""
        count, loose = search.count(queryset, query, cap), False
        if not count and search.may_loosen(query):
            count, loose = search.count(queryset, query, cap, loose=True), True
        ordered = queryset.for_cards().order_by(f"-{date_field}", "-pk")
        return Ranked(ordered, loose, date_field, count)

    def _page_number(self):
        return page_number(self.request.GET.get("page")) or 1

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

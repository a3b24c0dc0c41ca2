"""Site-level views: the home page and the site search, over both apps."""

import operator
from functools import partial

from django.core.paginator import Paginator
from django.db.models import Count
from django.utils.functional import SimpleLazyObject
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


def capped_count(queryset, cap):
    """The number of rows, counted no further than `cap + 1`; the rank is not computed."""
    return queryset.values("pk")[: cap + 1].count()


def _merge_key(rank, updated_at, index, pk):
    return (rank, updated_at, index, pk)


class RankedResults:
    """Articles and projects merged by search rank, sliced lazily for the paginator.

    One queryset is simply sliced: one query a page. Several are merged: the first
    page reads its rows straight from each ranked queryset (one query each); a later
    page ranks on (id, rank, date) only, never whole rows, then fetches its own rows.
    """

    def __init__(self, querysets, total, direct_rows):
        self.querysets = querysets
        self.total = total
        self.direct_rows = direct_rows

    def __len__(self):
        return self.total

    def __getitem__(self, page):
        if len(self.querysets) == 1:
            return list(self.querysets[0][page])
        if page.stop <= self.direct_rows:
            ranked = [
                (_merge_key(obj.search_rank, obj.updated_at, index, obj.pk), obj)
                for index, queryset in enumerate(self.querysets)
                for obj in queryset[: page.stop]
            ]
            ranked.sort(key=lambda pair: pair[0], reverse=True)
            return [obj for _, obj in ranked[page]]
        ranked = [
            _merge_key(rank, updated_at, index, pk)
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
        articles, n_articles = self._matches(Article.objects.published(), query, cap)
        projects, n_projects = self._matches(Project.objects.published(), query, cap)
        articles = articles.for_cards().order_by("-search_rank", "-published_at", "-pk")
        projects = projects.for_cards().order_by("-search_rank", "-updated_at", "-pk")
        counts = {"articles": n_articles, "projects": n_projects}
        if scope == "bai-viet":
            results = RankedResults([articles], n_articles, self.paginate_by)
        elif scope == "du-an":
            results = RankedResults([projects], n_projects, self.paginate_by)
        else:
            results = RankedResults([articles, projects], n_articles + n_projects, self.paginate_by)
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
    def _matches(queryset, query, cap):
        """The matches and their capped count; the loose match only when nothing matched."""
        results = search.exact(queryset, query)
        count = capped_count(results, cap)
        if not count and search.may_loosen(query):
            results = search.loose(queryset, query)
            count = capped_count(results, cap)
        return results, count

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

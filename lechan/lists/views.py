"""The faceted list page content apps share: django-filter, facet counts, highlighted
snippets, and a page of results read by key (search matches in relevance order).
"""

from operator import attrgetter

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django_filters.views import FilterView

from lechan import search
from lechan.cache import cache_call, request_content_version
from lechan.lists.choices import label_choices, offer_only
from lechan.lists.facets import Facets, Summary, facet_counts, filtered


def page_number(value):
    """The page number (1 or more) the query string's `value` gives, else None.

    Only ASCII digits, at most 18 of them: "²" passes str.isdigit() but not int(), and
    int() refuses a number of 4,300 digits.
    """
    if value and value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value) or None
    return None


class KeysFirstPaginator(Paginator):
    """Sorts and slices the results' keys alone, then reads the page's rows by key.

    `rows` is the queryset they are read from. Sorting search matches with their whole
    rows (body and all) makes the database carry every match's text through the sort;
    their keys alone are sorted from an index.
    """

    def __init__(self, object_list, per_page, rows, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.rows = rows

    def page(self, number):
        page = super().page(number)
        keys = page.object_list
        if isinstance(keys, QuerySet):  # else the keys already, from BestFirst
            keys = keys.values_list("pk", flat=True)
        keys = list(keys)
        found = self.rows.in_bulk(keys)
        page.object_list = [found[k] for k in keys if k in found]
        return page


class BestFirst:
    """The keys of a list's search matches in relevance order, sliced by its paginator.

    `ranked` is the list's queryset, ordered by search_rank and then by the list's
    order for ties; `others`, its rows under the other filters, in that order for
    ties. A slice within the first `rows` is read by search.best, tier by tier from
    the best, which stops once the slice is full: the best tier of a common word holds
    a small part of its matches, which `ranked` would all read and sort. Past that,
    search.ranked_keys counts each tier's rows and reads the slice from its tier with
    an offset, quicker than ranking every match until deep in the list, where the two
    cost the same; it is given the keys of every match (`matched`) when the facet
    counts read them.
    """

    rows = 1000

    def __init__(self, ranked, others, query, loose, matched=None):
        self.ranked, self.query, self.loose, self.matched = ranked, query, loose, matched
        self.others = others.select_related(None).only("pk")

    def count(self):
        return self.ranked.count()

    def __getitem__(self, page):
        # Read once, then let go: a common word's keys are a hundred thousand ints.
        matched, self.matched = self.matched, None
        if page.stop > self.rows:
            return search.ranked_keys(
                self.others, self.query, page.start, page.stop, self.loose, matched
            )
        best = search.best(self.others, self.query, page.stop, loose=self.loose)
        return [row.pk for row in best[page]]


class FacetedFilterView(FilterView):
    """A FilterView whose filterset is always bound (so its ordering always applies).

    `facets` names choice filters counted by value, `model_facets` model-choice
    filters counted by primary key, each offering only its `model_facet_choices`
    choices with the most results (and the chosen one); `snippet` gives the text to
    highlight.

    A request whose parameters are only facet choices (or `order_parameters`, or `q`)
    is counted from the list's facet Summary, kept for the current content version
    (lechan.cache): a new one is read after any save or delete, or once the next
    scheduled article goes live.
    """

    facets = ()
    model_facets = ()
    model_facet_choices = 50  # the most frequent, with results under the other filters
    order_parameters = ("sort",)
    paginator_class = KeysFirstPaginator
    _summaries = {}  # {view class: (content version, Summary)}

    def snippet(self, obj):
        return ""

    def facet_expressions(self):
        """{filter name: expression} for facets counted by an expression's value."""
        return {}

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET.copy()
        return kwargs

    def get_context_data(self, **kwargs):
        filterset = self.filterset
        query = self.query = search.Query()
        counts, self.total, self.matched = None, None, None
        if filterset.is_valid():
            query = self.query = search.parse(filterset.form.cleaned_data.get("q"))
            expressions = self.facet_expressions()
            names = [*self.facets, *self.model_facets, *expressions]
            facets = Facets(filterset, names, expressions)
            summary = facets.choices_only((*self.order_parameters, "q")) and self.summary(facets)
            # A search's matches are counted by their keys, read from the index alone.
            among = self.matched = filterset.matching_keys(query) if query and summary else None
            answer = summary and summary.counts(facets, among)
            # Else, with a query every facet query reads all the matches: one reads them for
            # all but the many-to-many facets, and gives the page count too.
            counts, self.total = answer or facet_counts(
                filterset, names, expressions, together=bool(query)
            )
        context = super().get_context_data(**kwargs)
        # The view lives on in the response's reference cycles until the collector runs;
        # freed now, a common word's keys don't pile up for it (a collector pause later).
        self.matched = None
        if counts is not None:
            fields = filterset.form.fields
            context["facet_counts"] = counts
            for name in self.facets:
                label_choices(fields[name], counts[name])
            offers = []
            for name in self.model_facets:
                label_choices(fields[name], counts[name], key=attrgetter("pk"))
                chosen = filterset.form.cleaned_data.get(name)
                offered = filterset.filters[name].get_queryset(self.request)
                offers.append((fields[name], counts[name], chosen, offered))
            offer_only(offers, self.model_facet_choices)
        context["query"] = query
        context["results"] = [
            (obj, search.highlight(self.snippet(obj), query) if query else "")
            for obj in context["object_list"]
        ]
        return context

    def summary(self, facets):
        """This list's facet Summary for the current content version, or None without one.

        Kept in this process, and in the shared cache for the other processes: after an
        edit one of them reads the rows, the others load what it stored.
        """
        version = request_content_version(self.request)
        if settings.LECHAN_FACET_SUMMARY_SECONDS <= 0 or version is None:
            return None
        held = self._summaries.get(type(self))
        if held is None or held[0] != version:
            key = f"facets:{version}:{type(self).__module__}.{type(self).__qualname__}"
            summary = cache_call("get", key)
            if summary is None:
                summary = Summary(facets)
                cache_call("set", key, summary, settings.LECHAN_FACET_SUMMARY_SECONDS)
            held = self._summaries[type(self)] = (version, summary)
        return held[1]

    def paginate_queryset(self, queryset, page_size):
        order = queryset.query.order_by  # no public API reads the order (see choices._ordering)
        if self.query and order and order[0] == "-search_rank":  # in relevance order
            others = filtered(self.filterset, without=["q"]).order_by(*order[1:])
            loose = self.filterset.loose(self.query)
            queryset = BestFirst(queryset, others, self.query, loose, self.matched)
        return super().paginate_queryset(queryset, page_size)

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, rows=self.filterset.queryset, **kwargs)
        if self.total is not None:
            paginator.count = self.total  # counted with the facets: no second count query
        return paginator

"""The list page both apps share: django-filter, facet counts, highlighted snippets."""

from operator import attrgetter

from django_filters.views import FilterView

from lechan import search
from lechan.facets import facet_counts, label_choices


class FacetedFilterView(FilterView):
    """A FilterView whose filterset is always bound (so its ordering always applies).

    `facets` names choice filters counted by value, `model_facets` model-choice
    filters counted by primary key; `snippet` gives the text to highlight.
    """

    facets = ()
    model_facets = ()

    def snippet(self, obj):
        return ""

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["data"] = self.request.GET.copy()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = context["filter"]
        query = search.Query()
        if filterset.is_valid():
            fields = filterset.form.fields
            for name in self.facets:
                label_choices(fields[name], facet_counts(filterset, name))
            for name in self.model_facets:
                label_choices(fields[name], facet_counts(filterset, name), key=attrgetter("pk"))
            query = search.parse(filterset.form.cleaned_data.get("q"))
        context["query"] = query
        context["results"] = [
            (obj, search.highlight(self.snippet(obj), query) if query else "")
            for obj in context["object_list"]
        ]
        return context

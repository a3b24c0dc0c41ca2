"""The public lists of content (articles, projects, figures): a faceted django-filter view
(views), the filter sets and their bounds (filters), facet counting (facets), what each
select offers (choices), CSV and JSON exports (exports), and the filters' widgets (widgets).

Content apps build their list pages on it; it names none of them.
"""

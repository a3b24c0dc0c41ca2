"""One search service for the whole site.

Vietnamese folding (lechan.text.fold) is applied the same way to the indexed text
and to the query, so "ho sen cau rao" finds "Hồ Sen – Cầu Rào 2" and "duong"
finds "đường". Each app registers what it indexes (from its AppConfig.ready()) and
makes its index by a migration (operations.CreateSearchIndex); the service keeps
index tables per model, keyed by the model's primary key:

- SQLite (the embedded default): FTS5 tables (all the text; the title; the title
  and lead);
- PostgreSQL: a table with tsvectors of the same three (GIN indexes), and a
  pg_trgm word-similarity fallback for typos.

Both rank a match by where its words are (schema.TIERS): all in the title, else all
in the title or lead, else anywhere; within a tier the caller's order (newest first)
breaks the tie. A "loose" match is the one tried when nothing matches exactly
(prefixes on SQLite, trigram similarity on PostgreSQL).

`search(queryset, q)` narrows any queryset of a registered model to the matches
and annotates `search_rank` (higher is better), so filters, ordering and
pagination keep working on it. This module is the interface the site calls; the
work is in query, highlight, registry and backends. The core imports no app.
"""

from django.db import router

from lechan.search.backends import Backend, backend_for
from lechan.search.highlight import highlight
from lechan.search.query import MAX_QUERY_LENGTH, Query, may_loosen, parse, tokens
from lechan.search.registry import on_post_migrate, rebuild, register, registered_models
from lechan.search.schema import table_name

__all__ = [
    "MAX_QUERY_LENGTH",
    "Backend",
    "Query",
    "backend_for",
    "best",
    "count",
    "exact",
    "highlight",
    "keys",
    "loose",
    "may_loosen",
    "on_post_migrate",
    "parse",
    "ranked_keys",
    "rebuild",
    "register",
    "registered_models",
    "search",
    "table_name",
    "tokens",
]


def search(queryset, q, loose_fallback=True):
    """Narrow `queryset` to what matches `q`, annotated with `search_rank`.

    `q` may be a string or a parsed Query. An empty query (or one that only
    excludes) returns the queryset unchanged. When nothing matches exactly, the
    loose match is tried.
    """
    query = q if isinstance(q, Query) else parse(q)
    if not query:
        return queryset
    results = exact(queryset, query)
    if loose_fallback and may_loosen(query) and not results.exists():
        results = loose(queryset, query)
    return results


def exact(queryset, query):
    """The exact matches of a parsed, non-empty query (no fallback, no extra query)."""
    return backend_for(queryset.db).filter(queryset, query)


def loose(queryset, query):
    """The looser matches tried when nothing matches exactly."""
    return backend_for(queryset.db).filter(queryset, query, loose=True)


def best(queryset, query, limit, loose=False):
    """The `limit` best matches of `query` among `queryset`'s rows, `search_rank` set.

    Best rank first; equal ranks in the queryset's own order (give it the tie-break).
    """
    return backend_for(queryset.db).best(queryset, query, limit, loose=loose)


def ranked_keys(queryset, query, start, stop, loose=False, matched=None):
    """The keys of rows `start` to `stop` of best()'s order, for a slice deep in it.

    `matched` may give the keys of every match (search.keys), already read.
    """
    backend = backend_for(queryset.db)
    return backend.ranked_keys(queryset, query, start, stop, loose=loose, matched=matched)


def keys(model, query, loose=False):
    """The keys of every row of `model` that matches `query`, published or not, unordered.

    Read from the index alone: the caller keeps those of the rows it wants.
    """
    return backend_for(router.db_for_read(model)).keys(model, query, loose=loose)


def count(queryset, query, cap, loose=False):
    """How many of `queryset`'s rows match `query`, counted no further than `cap + 1`."""
    return backend_for(queryset.db).count(queryset, query, cap, loose=loose)

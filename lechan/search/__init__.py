"""One search service for the whole site.

Vietnamese folding (lechan.text.fold) is applied the same way to the indexed text
and to the query, so "ho sen cau rao" finds "Hồ Sen – Cầu Rào 2" and "duong"
finds "đường". Each app registers what it indexes (from its AppConfig.ready());
the service keeps index tables per model, keyed by the model's primary key:

- SQLite (the embedded default): FTS5 tables (all the text; the title; the title
  and lead);
- PostgreSQL: a table with tsvectors of the same three (GIN indexes), and a
  pg_trgm word-similarity fallback for typos.

Both rank a match by where its words are (TIERS): all in the title, else all in
the title or lead, else anywhere; within a tier the caller's order (newest first)
breaks the tie.

`search(queryset, q)` narrows any queryset of a registered model to the matches
and annotates `search_rank` (higher is better), so filters, ordering and
pagination keep working on it. The core imports no app.
"""

import functools
import html
import json
import logging
import re
from dataclasses import dataclass, field

from django.db import connections, router, transaction
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_save
from django.utils.html import escape, strip_tags

from lechan.text import fold

logger = logging.getLogger(__name__)

MAX_QUERY_LENGTH = 500
MAX_TERMS = 12
COLUMNS = ("title", "lead", "body")
# search_rank of a match: all its words in the title, else in the title or lead, else anywhere.
TIERS = ((3, ("title",)), (2, ("title", "lead")), (1, COLUMNS))
# search.best reads a tier's matches by id up to DENSE of them, joined past that, and walks
# the rows in order probing the index past WALK matches per row it wants (a common word).
DENSE = 2000
WALK = 50

_TOKEN = re.compile(r"[a-z0-9]+")
_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')


# The query ---------------------------------------------------------------------------------


@dataclass
class Query:
    """A parsed query: folded words (ANDed), phrases and excluded words."""

    terms: list = field(default_factory=list)
    phrases: list = field(default_factory=list)
    excluded: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.terms or self.phrases)

    @property
    def highlight_terms(self):
        return self.terms + [word for phrase in self.phrases for word in phrase]


def tokens(text):
    return _TOKEN.findall(fold(text))


def parse(q):
    """Words are ANDed, "a quoted phrase" matches as a phrase, -word excludes.

    Any input is safe: everything is folded to [a-z0-9] tokens, so no FTS or
    tsquery syntax from the reader ever reaches the database.
    """
    query = Query()
    q = (q or "").replace("\x00", " ")[:MAX_QUERY_LENGTH]
    for match in _PART.finditer(q):
        negative, phrase, word = match.groups()
        if phrase is not None:
            words = tokens(phrase)
            if negative:
                query.excluded.extend(words)
            elif len(words) > 1:
                query.phrases.append(words)
            else:
                query.terms.extend(words)
        elif word.startswith("-") and len(word) > 1:
            query.excluded.extend(tokens(word[1:]))
        else:
            query.terms.extend(tokens(word))
    # Keep the query small; drop duplicates but keep the order.
    query.terms = list(dict.fromkeys(query.terms))[:MAX_TERMS]
    query.phrases = query.phrases[:MAX_TERMS]
    query.excluded = list(dict.fromkeys(query.excluded))[:MAX_TERMS]
    return query


# Highlighting -------------------------------------------------------------------------------


def _letter_classes():
    """For each of [a-z0-9], a regex class of every Latin character that folds to it."""
    variants = {}
    for code in [*range(0x30, 0x250), *range(0x1E00, 0x1F00)]:
        char = chr(code)
        folded = fold(char)
        if len(folded) == 1 and folded in "abcdefghijklmnopqrstuvwxyz0123456789":
            variants.setdefault(folded, []).append(char)
    # A decomposed letter (NFD input) is followed by its combining marks.
    return {
        letter: "[" + re.escape("".join(chars)) + "][\u0300-\u036f]*"
        for letter, chars in variants.items()
    }


_LETTER = _letter_classes()
_WORD_CHAR = r"[^\W_]|[\u0300-\u036f]"


@functools.lru_cache(maxsize=256)
def _pattern(words):
    """A regex over the original text matching any of the folded `words` as whole words."""
    alternatives = ["".join(_LETTER[letter] for letter in word) for word in words]
    return re.compile(f"(?<!{_WORD_CHAR})(?:{'|'.join(alternatives)})(?!{_WORD_CHAR})")


def highlight(text, query, length=260):
    """An HTML snippet of `text` around the first match, matched words in <mark>.

    The words are folded, the text is not: each letter of a word matches every
    Vietnamese form of it ("duong" matches "Đường"), so the snippet shows the
    original text, tone marks and all, without folding it.
    """
    # The text is sanitized HTML and every piece of the snippet is escaped: a regex
    # will do to drop the tags (strip_tags parses the whole body, several times).
    text = html.unescape(_TAG.sub(" ", text or "")).strip()
    text = re.sub(r"\s+", " ", text)
    words = sorted(set(query.highlight_terms), key=len, reverse=True)
    if not text:
        return ""
    spans = []
    if words:
        for match in _pattern(tuple(words)).finditer(text):
            start, end = match.span()
            if spans and not text[spans[-1][1] : start].strip():
                start = spans.pop()[0]  # "Hồ Sen" is one mark, not two
            spans.append((start, end))
    start = 0
    if spans and len(text) > length:
        start = max(0, spans[0][0] - length // 3)
        # Start on a word boundary.
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < spans[0][0] else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    pieces, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    snippet = "".join(pieces)
    return ("… " if start else "") + snippet + (" …" if end < len(text) else "")


# The registry -----------------------------------------------------------------------------


@dataclass
class Registration:
    model: type
    title: object
    lead: object
    body: object

    def document(self, instance):
        """The folded text of each column for `instance`."""
        values = {}
        for column in COLUMNS:
            source = getattr(self, column)
            if source is None:
                value = ""
            elif callable(source):
                value = source(instance)
            else:
                value = getattr(instance, source)
            values[column] = fold(html.unescape(strip_tags(value or "")))
        return values


_registry = {}


def register(model, *, title, lead=None, body=None):
    """Index `model`: each column is an attribute name or a function of the instance."""
    _registry[model._meta.label_lower] = Registration(model, title, lead, body)
    uid = f"lechan.search.{model._meta.label_lower}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid, weak=False)


def registered_models():
    return [registration.model for registration in _registry.values()]


def table_name(model):
    return f"lechan_search_{model._meta.app_label}_{model._meta.model_name}"


def _on_save(sender, instance, using=None, **kwargs):
    backend_for(using).index(_registry[sender._meta.label_lower], [instance])


def _on_delete(sender, instance, using=None, **kwargs):
    backend_for(using).remove(sender, instance.pk)


# Backends ---------------------------------------------------------------------------------


class SQLiteBackend:
    """FTS5 over folded text, one table per tier's columns; rowid is the primary key.

    The title and the title-with-lead tables answer "all words in the title" without
    reading where in a document each word of a common one stands: a column filter on
    the whole text costs five to ten times more.
    """

    def __init__(self, connection):
        self.connection = connection

    @staticmethod
    def tables(model):
        """{tier: (table, its columns)}; the last tier's table holds every column."""
        base = table_name(model)
        return {
            tier: (base if columns == COLUMNS else f"{base}_{'_'.join(columns)}", columns)
            for tier, columns in TIERS
        }

    def ensure_table(self, model):
        with self.connection.cursor() as cursor:
            for table, columns in self.tables(model).values():
                cursor.execute(
                    f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({', '.join(columns)}, "
                    "tokenize='unicode61 remove_diacritics 2')"
                )

    def index(self, registration, instances, fresh=False):
        documents = [(i.pk, registration.document(i)) for i in instances]
        with self.connection.cursor() as cursor:
            for table, columns in self.tables(registration.model).values():
                if not fresh:  # a rebuild starts from empty tables: nothing to replace
                    cursor.executemany(
                        f"DELETE FROM {table} WHERE rowid = %s", [[pk] for pk, _ in documents]
                    )
                cursor.executemany(
                    f"INSERT INTO {table} (rowid, {', '.join(columns)}) "
                    f"VALUES (%s{', %s' * len(columns)})",
                    [[pk, *(document[c] for c in columns)] for pk, document in documents],
                )

    def remove(self, model, pk):
        with self.connection.cursor() as cursor:
            for table, _ in self.tables(model).values():
                cursor.execute(f"DELETE FROM {table} WHERE rowid = %s", [pk])

    def clear(self, model):
        # FTS5 deletes a row by tokenizing it again: dropping the tables is far quicker.
        with self.connection.cursor() as cursor:
            for table, _ in self.tables(model).values():
                cursor.execute(f"DROP TABLE IF EXISTS {table}")
        self.ensure_table(model)

    def analyze(self, models):
        # Without statistics SQLite may drive the join from the article index and run
        # the full-text match once per row (seconds at 100,000 rows); with them it
        # starts from the match. Cheap: a fraction of a second at that size.
        with self.connection.cursor() as cursor:
            for model in models:
                for table, _ in self.tables(model).values():
                    # One b-tree per word instead of one per batch indexed: a common
                    # word's matches read twice as fast (2 s to merge at 100,000 articles).
                    cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            cursor.execute("ANALYZE")

    @staticmethod
    def expression(query, prefix=False):
        def quoted(words):
            star = "*" if prefix else ""
            return '"' + " ".join(words) + '"' + star

        positive = [quoted([t]) for t in query.terms] + [quoted(p) for p in query.phrases]
        expression = "(" + " AND ".join(positive) + ")"
        for word in query.excluded:
            expression = f'({expression} NOT "{word}")'
        return expression

    def filter(self, queryset, query, fuzzy=False):
        return _ranked(self, queryset, query, self.expression(query, prefix=fuzzy), fuzzy)

    def best(self, queryset, query, limit, fuzzy=False):
        return _best_by_tiers(self, queryset, query, limit, fuzzy)

    def ranked_keys(self, queryset, query, start, stop, fuzzy=False, matched=None):
        return _keys_by_tiers(self, queryset, query, start, stop, fuzzy, matched)

    def matching(self, model, tier):
        """SELECT of the ids of the tier's matches; its one parameter is expression()."""
        table = self.tables(model)[tier][0]
        return f"SELECT rowid FROM {table} WHERE {table} MATCH %s"

    def tier_ids(self, model, query, tier, fuzzy, limit):
        """Up to `limit` ids of the tier's matches (higher tiers' included)."""
        expression = self.expression(query, prefix=fuzzy)
        return _ids(self, f"{self.matching(model, tier)} LIMIT %s", [expression, limit])

    def keys(self, model, query, fuzzy=False, tier=TIERS[-1][0]):
        # One JSON array instead of a row per key: 100,000 keys in 11 ms instead of 27.
        sql = f"SELECT json_group_array(rowid) FROM ({self.matching(model, tier)})"
        return json.loads(_ids(self, sql, [self.expression(query, prefix=fuzzy)])[0])

    @staticmethod
    def among(ids):
        """A `pk__in` value for many ids: one JSON parameter instead of one per id.

        Django prepares each parameter of a list in Python: for 2,000 ids that costs
        more than SQLite takes to run the query.
        """
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])

    def in_tier(self, queryset, query, tier, fuzzy, walk):
        """`queryset`'s rows in the tier: joined to its matches, or probed row by row.

        extra() is the one ORM door to an FTS5 table; the match is a parameter.
        """
        table, key = self.tables(queryset.model)[tier][0], _key(queryset.model)
        params = [self.expression(query, prefix=fuzzy)]
        if walk:
            probe = f"SELECT 1 FROM {table} WHERE {table} MATCH %s AND {table}.rowid = {key}"
            return queryset.extra(where=[f"EXISTS ({probe})"], params=params)
        where = [f"{table}.rowid = {key}", f"{table} MATCH %s"]
        return queryset.extra(tables=[table], where=where, params=params)

    def count(self, queryset, query, cap, fuzzy=False):
        """How many of `queryset`'s rows match, counted no further than `cap + 1`.

        Match ids come from the full-text table in rowid order, a batch at a time, and
        `queryset` counts those it holds by key: the match runs once per batch.
        """
        batch = (
            f"{self.matching(queryset.model, TIERS[-1][0])} AND rowid > %s ORDER BY rowid LIMIT %s"
        )
        expression = self.expression(query, prefix=fuzzy)
        # A batch of ids is one JSON parameter; 20,000 at most keeps it small.
        size, found, after = min(2 * (cap + 1), 10 * DENSE), 0, 0
        while True:
            ids = _ids(self, batch, [expression, after, size])
            if ids:
                found += queryset.filter(pk__in=self.among(ids)).count()
            if found > cap or len(ids) < size:
                return min(found, cap + 1)
            after = ids[-1]


def _best_by_tiers(backend, queryset, query, limit, fuzzy):
    """The first `limit` rows of the tiers in turn, each tier in `queryset`'s order.

    A tier's matches include the higher tiers'; a lower tier is only read when the
    higher ones could not fill the page, so every row of theirs in `queryset` is
    already taken and is all there is to leave out. Each tier's ids are read from
    the index first, no further than the point past which reading its matches costs
    more than walking `queryset` in its order (an index on the date) and probing the
    index row by row until the page is full: a common word's tier is then walked.
    Up to DENSE ids, the page's ids are sorted alone (a covering index), then its rows
    are read; between, the matches are joined and sorted.
    """
    rows = []
    for tier, _ in TIERS:
        wanted = limit - len(rows)
        if wanted <= 0:
            break
        walk_past = max(DENSE, WALK * wanted)
        ids = backend.tier_ids(queryset.model, query, tier, fuzzy, walk_past + 1)
        taken = [row.pk for row in rows]
        if len(ids) <= DENSE:
            ids = set(ids).difference(taken)
            if not ids:
                continue
            page = queryset.filter(pk__in=backend.among(ids)).values("pk")[:wanted]
            narrowed = queryset.filter(pk__in=page)
        else:
            narrowed = backend.in_tier(queryset, query, tier, fuzzy, walk=len(ids) > walk_past)
            narrowed = narrowed.exclude(pk__in=taken)
        for row in narrowed[:wanted]:
            row.search_rank = tier
            rows.append(row)
    return rows


def _keys_by_tiers(backend, queryset, query, start, stop, fuzzy, matched):
    """The keys of rows `start` to `stop` of `queryset`'s matches in best()'s order.

    Each tier's rows (its matches but the higher tiers') are counted in turn until the
    tier where the slice starts, and read from there with an offset. `matched`, the
    keys of every match if the caller has them, saves reading the last tier's.
    """
    keys, higher, wanted, last = [], set(), stop - start, TIERS[-1][0]
    for tier, _ in TIERS:
        if tier == last and matched is not None:
            ids = set(matched) - higher
        else:
            ids = set(backend.keys(queryset.model, query, fuzzy, tier)) - higher
        higher |= ids
        rows = queryset.filter(pk__in=backend.among(ids)).values_list("pk", flat=True)
        if start and tier != last:
            count = rows.count()
            if start >= count:
                start -= count
                continue
        keys += rows[start : start + wanted - len(keys)]
        start = 0
        if len(keys) == wanted:
            break
    return keys


def _key(model):
    return f"{model._meta.db_table}.{model._meta.pk.column}"


def _ids(backend, sql, params):
    with backend.connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def _ranked(backend, queryset, query, expression, fuzzy=False):
    """`queryset`'s matches with `search_rank`, their tier.

    Each upper tier's ids are read once, by its own index, into a list the database
    keeps for the query (SQLite's IN list, PostgreSQL's hashed subplan), rather than
    testing each match's own text or vector.
    """
    key = _key(queryset.model)
    rank = " ".join(
        f"WHEN {key} IN ({backend.matching(queryset.model, tier)}) THEN {tier}"
        for tier, _ in TIERS[:-1]
    )
    matches = backend.in_tier(queryset, query, TIERS[-1][0], fuzzy, walk=False)
    return matches.extra(
        select={"search_rank": f"CASE {rank} ELSE {TIERS[-1][0]} END"},
        select_params=[expression] * (len(TIERS) - 1),
    )


class PostgreSQLBackend:
    """tsvectors over folded text (GIN), with pg_trgm for typos.

    `document` holds all the text; a smaller one per upper tier (the title; the title
    and lead) answers "all words in the title" without reading every long document
    that holds the words somewhere.
    """

    def __init__(self, connection):
        self.connection = connection

    @staticmethod
    def tables(model):
        """{tier: (table, its columns)}: one table, a tsvector column per tier."""
        return {TIERS[-1][0]: (table_name(model), COLUMNS)}

    @staticmethod
    def vector(tier):
        """The tsvector column of a tier's columns."""
        columns = dict(TIERS)[tier]
        return "document" if columns == COLUMNS else f"{'_'.join(columns)}_vector"

    def ensure_table(self, model):
        table = table_name(model)
        with self.connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {table} (id bigint PRIMARY KEY, title text, "
                "lead text, body text, document tsvector)"
            )
            # Every long value (text, vectors) is kept out of line, so the rows stay narrow:
            # reading the ids of 15,000 matches then visits 16 MB of rows at 100,000
            # articles, not 136 MB. Rows written before this are narrowed by a rebuild.
            cursor.execute(f"ALTER TABLE {table} SET (toast_tuple_target = 128)")
            for tier, columns in TIERS:
                vector = self.vector(tier)
                if vector != "document":
                    # Added to a table from before the tiers, and filled from its text.
                    cursor.execute(
                        f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {vector} tsvector"
                    )
                    cursor.execute(
                        f"UPDATE {table} SET {vector} = to_tsvector('simple', "
                        f"concat_ws(' ', {', '.join(columns)})) WHERE {vector} IS NULL"
                    )
                name = f"{table}_doc" if vector == "document" else f"{table}_{vector}"
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin ({vector})")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_trgm ON {table} "
                "USING gin ((title || ' ' || lead) gin_trgm_ops)"
            )

    def index(self, registration, instances, fresh=False):
        table = table_name(registration.model)
        upper = [(self.vector(tier), columns) for tier, columns in TIERS[:-1]]
        rows = []
        for instance in instances:
            document = registration.document(instance)
            texts = list(document.values())
            rows.append(
                [instance.pk, *texts, *texts]
                + [" ".join(document[c] for c in columns) for _, columns in upper]
            )
        vectors = "".join(f", {vector}" for vector, _ in upper)
        with self.connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {table} (id, title, lead, body, document{vectors}) "
                "VALUES (%s, %s, %s, %s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'C')"
                + ", to_tsvector('simple', %s)"
                * len(upper)
                + ") ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, "
                "lead = EXCLUDED.lead, body = EXCLUDED.body, document = EXCLUDED.document"
                + "".join(f", {vector} = EXCLUDED.{vector}" for vector, _ in upper),
                rows,
            )

    def remove(self, model, pk):
        with self.connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table_name(model)} WHERE id = %s", [pk])

    def clear(self, model):
        with self.connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {table_name(model)}")

    def analyze(self, models):
        with self.connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {table_name(model)}")
                cursor.execute(f"ANALYZE {model._meta.db_table}")

    @staticmethod
    def expression(query):
        positive = list(query.terms) + [" <-> ".join(p) for p in query.phrases]
        parts = [f"({p})" for p in positive] + [f"!{word}" for word in query.excluded]
        return " & ".join(parts)

    def filter(self, queryset, query, fuzzy=False):
        table = table_name(queryset.model)
        if fuzzy:
            # Typos: every word must be close to some word of the title or lead.
            words = query.terms + [w for p in query.phrases for w in p]
            where = [f"{table}.id = {_key(queryset.model)}"] + [
                f"%s <%% ({table}.title || ' ' || {table}.lead)" for _ in words
            ]
            params = list(words)
            if query.excluded:
                where.append(f"NOT {table}.document @@ to_tsquery('simple', %s)")
                params.append(" | ".join(query.excluded))
            return queryset.extra(
                tables=[table],
                where=where,
                params=params,
                select={
                    "search_rank": f"word_similarity(%s, {table}.title || ' ' || {table}.lead)"
                },
                select_params=[" ".join(words)],
            )
        return _ranked(self, queryset, query, self.expression(query))

    def best(self, queryset, query, limit, fuzzy=False):
        if fuzzy:
            return list(self.most_similar(queryset, query)[:limit])
        return _best_by_tiers(self, queryset, query, limit, fuzzy)

    def ranked_keys(self, queryset, query, start, stop, fuzzy=False, matched=None):
        if fuzzy:
            return list(self.most_similar(queryset, query).values_list("pk", flat=True)[start:stop])
        return _keys_by_tiers(self, queryset, query, start, stop, fuzzy, matched)

    def most_similar(self, queryset, query):
        """The loose matches, most similar first: one similarity, no tiers."""
        ordered = self.filter(queryset, query, fuzzy=True)
        return ordered.order_by("-search_rank", *queryset.query.order_by)

    def matching(self, model, tier):
        """SELECT of the ids of the tier's matches; its one parameter is expression()."""
        table = table_name(model)
        return f"SELECT id FROM {table} WHERE {self.vector(tier)} @@ to_tsquery('simple', %s)"

    def tier_ids(self, model, query, tier, fuzzy, limit):
        """Up to `limit` ids of the tier's matches (higher tiers' included)."""
        return _ids(self, f"{self.matching(model, tier)} LIMIT %s", [self.expression(query), limit])

    def keys(self, model, query, fuzzy=False, tier=TIERS[-1][0]):
        if fuzzy:
            matches = self.filter(model._base_manager.order_by(), query, fuzzy=True)
            return list(matches.values_list("pk", flat=True))
        sql = f"SELECT array_agg(id) FROM ({self.matching(model, tier)}) AS matches"
        # A common word's matches would be read by testing every row's (out of line) vector
        # in turn: 340 ms at 100,000 articles, where the index gives them in 28 ms. The
        # planner is told so for this query alone.
        with transaction.atomic(using=self.connection.alias), self.connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(sql, [self.expression(query)])
            keys = cursor.fetchone()[0]
            cursor.execute("SET LOCAL enable_seqscan TO DEFAULT")
        return keys or []

    @staticmethod
    def among(ids):
        """A `pk__in` value for many ids: one array parameter instead of one per id."""
        return RawSQL("SELECT unnest(%s::bigint[])", [list(ids)])

    def in_tier(self, queryset, query, tier, fuzzy, walk):
        """`queryset`'s rows in the tier: joined to its matches, or probed row by row."""
        table, key = table_name(queryset.model), _key(queryset.model)
        match = f"{table}.{self.vector(tier)} @@ to_tsquery('simple', %s)"
        params = [self.expression(query)]
        if walk:
            probe = f"EXISTS (SELECT 1 FROM {table} WHERE {table}.id = {key} AND {match})"
            return queryset.extra(where=[probe], params=params)
        return queryset.extra(tables=[table], where=[f"{table}.id = {key}", match], params=params)

    def count(self, queryset, query, cap, fuzzy=False):
        # Unordered, the join stops at the cap instead of sorting every match first.
        return self.filter(queryset.order_by(), query, fuzzy).values("pk")[: cap + 1].count()


def backend_for(using=None):
    conn = connections[using or "default"]
    if conn.vendor == "postgresql":
        return PostgreSQLBackend(conn)
    if conn.vendor == "sqlite":
        return SQLiteBackend(conn)
    raise NotImplementedError(f"Không hỗ trợ tìm kiếm trên {conn.vendor}")


# The service ------------------------------------------------------------------------------


def search(queryset, q, fuzzy_fallback=True):
    """Narrow `queryset` to what matches `q`, annotated with `search_rank`.

    `q` may be a string or a parsed Query. An empty query (or one that only
    excludes) returns the queryset unchanged. When nothing matches exactly, a
    looser match is tried (prefixes on SQLite, trigram similarity on PostgreSQL).
    """
    query = q if isinstance(q, Query) else parse(q)
    if not query:
        return queryset
    results = exact(queryset, query)
    if fuzzy_fallback and may_loosen(query) and not results.exists():
        results = loose(queryset, query)
    return results


def exact(queryset, query):
    """The exact matches of a parsed, non-empty query (no fallback, no extra query)."""
    return backend_for(queryset.db).filter(queryset, query)


def loose(queryset, query):
    """The looser matches tried when nothing matches exactly."""
    return backend_for(queryset.db).filter(queryset, query, fuzzy=True)


def best(queryset, query, limit, loose=False):
    """The `limit` best matches of `query` among `queryset`'s rows, `search_rank` set.

    Best rank first; equal ranks in the queryset's own order (give it the tie-break).
    """
    return backend_for(queryset.db).best(queryset, query, limit, fuzzy=loose)


def ranked_keys(queryset, query, start, stop, loose=False, matched=None):
    """The keys of rows `start` to `stop` of best()'s order, for a slice deep in it.

    `matched` may give the keys of every match (search.keys), already read.
    """
    backend = backend_for(queryset.db)
    return backend.ranked_keys(queryset, query, start, stop, fuzzy=loose, matched=matched)


def keys(model, query, loose=False):
    """The keys of every row of `model` that matches `query`, published or not, unordered.

    Read from the index alone: the caller keeps those of the rows it wants.
    """
    return backend_for(router.db_for_read(model)).keys(model, query, fuzzy=loose)


def count(queryset, query, cap, loose=False):
    """How many of `queryset`'s rows match `query`, counted no further than `cap + 1`."""
    return backend_for(queryset.db).count(queryset, query, cap, fuzzy=loose)


def may_loosen(query):
    # A quoted phrase asks for exactly that phrase: no loose fallback then.
    return not query.phrases


def ensure_tables(using="default", rebuild_empty=True):
    """Create the index tables of every registered model; fill those that are new."""
    backend = backend_for(using)
    for registration in _registry.values():
        model = registration.model
        backend.ensure_table(model)
        if rebuild_empty and _is_empty(backend, model):
            rebuild(model, using=using)


def _is_empty(backend, model):
    """Whether any of the model's index tables is empty (new, say, after an upgrade)."""
    with backend.connection.cursor() as cursor:
        for table, _ in backend.tables(model).values():
            cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
            if cursor.fetchone() is None:
                return True
    return False


def rebuild(model, using="default", batch_size=2000):
    """Re-index every row of `model`; returns the number indexed."""
    backend = backend_for(using)
    registration = _registry[model._meta.label_lower]
    backend.ensure_table(model)
    # One transaction: readers see the old index until the new one is whole, and SQLite
    # does not commit (and sync to disk) once per row.
    with transaction.atomic(using=using):
        backend.clear(model)
        count, batch = 0, []
        for instance in model._default_manager.using(using).iterator(chunk_size=batch_size):
            batch.append(instance)
            if len(batch) == batch_size:
                backend.index(registration, batch, fresh=True)
                count, batch = count + len(batch), []
        backend.index(registration, batch, fresh=True)
    backend.analyze([model])
    return count + len(batch)


def on_post_migrate(sender, using="default", **kwargs):
    ensure_tables(using)
    backend_for(using).analyze(registered_models())

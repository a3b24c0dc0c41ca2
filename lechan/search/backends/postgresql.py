"""The index on PostgreSQL: tsvectors over folded text (GIN), pg_trgm for typos."""

from django.db import transaction
from django.db.models.expressions import RawSQL

from lechan.search.backends.base import Backend
from lechan.search.schema import COLUMNS, LAST_TIER, TIERS, table_name

# The upper tiers, each with its tsvector column: the title; the title and lead.
UPPER = [(f"{'_'.join(columns)}_vector", columns) for _, columns in TIERS[:-1]]


class PostgreSQLBackend(Backend):
    """tsvectors over folded text (GIN), with pg_trgm for typos.

    `document` holds all the text; a smaller one per upper tier (the title; the title
    and lead) answers "all words in the title" without reading every long document
    that holds the words somewhere. A loose match compares trigrams of the title and
    lead instead of matching words: it is ranked by similarity, not by tier.
    """

    @staticmethod
    def tables(model):
        """{tier: (table, its columns)}: one table, a tsvector column per tier."""
        return {LAST_TIER: (table_name(model), COLUMNS)}

    @staticmethod
    def vector(tier):
        """The tsvector column of a tier's columns."""
        columns = dict(TIERS)[tier]
        return "document" if columns == COLUMNS else f"{'_'.join(columns)}_vector"

    def create_statements(self, model):
        table = table_name(model)
        statements = [
            "CREATE EXTENSION IF NOT EXISTS pg_trgm",
            "CREATE EXTENSION IF NOT EXISTS unaccent",
            f"CREATE TABLE IF NOT EXISTS {table} (id bigint PRIMARY KEY, title text, "
            "lead text, body text, document tsvector)",
            # Every long value (text, vectors) is kept out of line, so the rows stay narrow
            # and reading the ids of many matches visits few pages. Rows written before
            # this are narrowed by a rebuild.
            f"ALTER TABLE {table} SET (toast_tuple_target = 128)",
            f"CREATE INDEX IF NOT EXISTS {table}_doc ON {table} USING gin (document)",
        ]
        for vector, columns in UPPER:
            # Added to an index from before the tiers, and filled from its text.
            statements += [
                f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS {vector} tsvector",
                f"UPDATE {table} SET {vector} = to_tsvector('simple', "
                f"concat_ws(' ', {', '.join(columns)})) WHERE {vector} IS NULL",
                f"CREATE INDEX IF NOT EXISTS {table}_{vector} ON {table} USING gin ({vector})",
            ]
        statements.append(
            f"CREATE INDEX IF NOT EXISTS {table}_trgm ON {table} "
            "USING gin ((title || ' ' || lead) gin_trgm_ops)"
        )
        return statements

    def index(self, registration, instances, fresh=False):
        rows = []
        for instance in instances:
            document = registration.document(instance)
            texts = list(document.values())
            rows.append(
                [instance.pk, *texts, *texts]
                + [" ".join(document[c] for c in columns) for _, columns in UPPER]
            )
        with self.connection.cursor() as cursor:
            cursor.executemany(self._upsert(table_name(registration.model)), rows)

    @staticmethod
    def _upsert(table):
        """INSERT … ON CONFLICT of one row: id, the texts, then each vector's text."""
        vectors = "".join(f", {vector}" for vector, _ in UPPER)
        return (
            f"INSERT INTO {table} (id, title, lead, body, document{vectors}) "
            "VALUES (%s, %s, %s, %s, "
            "setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || "
            "setweight(to_tsvector('simple', %s), 'C')"
            + ", to_tsvector('simple', %s)"
            * len(UPPER)
            + ") ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, "
            "lead = EXCLUDED.lead, body = EXCLUDED.body, document = EXCLUDED.document"
            + "".join(f", {vector} = EXCLUDED.{vector}" for vector, _ in UPPER)
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

    def expression(self, query, loose=False):
        """A tsquery. A loose match never reaches it: it compares trigrams (see filter)."""
        positive = list(query.terms) + [" <-> ".join(p) for p in query.phrases]
        parts = [f"({p})" for p in positive] + [f"!{word}" for word in query.excluded]
        return " & ".join(parts)

    def filter(self, queryset, query, loose=False):
        if loose:
            return self.similar(queryset, query)
        return super().filter(queryset, query)

    def similar(self, queryset, query):
        """Typos: every word must be close to some word of the title or lead."""
        table = table_name(queryset.model)
        words = query.terms + [word for phrase in query.phrases for word in phrase]
        where = [f"{table}.id = {self.key(queryset.model)}"] + [
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
            select={"search_rank": f"word_similarity(%s, {table}.title || ' ' || {table}.lead)"},
            select_params=[" ".join(words)],
        )

    def most_similar(self, queryset, query):
        """The loose matches, most similar first: one similarity, no tiers.

        Equal similarities keep the queryset's own order: Django names it publicly
        nowhere but in `query.order_by`, read here alone.
        """
        return self.similar(queryset, query).order_by("-search_rank", *queryset.query.order_by)

    def best(self, queryset, query, limit, loose=False):
        if loose:
            return list(self.most_similar(queryset, query)[:limit])
        return super().best(queryset, query, limit)

    def ranked_keys(self, queryset, query, start, stop, loose=False, matched=None):
        if loose:
            return list(self.most_similar(queryset, query).values_list("pk", flat=True)[start:stop])
        return super().ranked_keys(queryset, query, start, stop, matched=matched)

    def matching(self, model, tier):
        table = table_name(model)
        return f"SELECT id FROM {table} WHERE {self.vector(tier)} @@ to_tsquery('simple', %s)"

    def keys(self, model, query, loose=False, tier=LAST_TIER):
        if loose:
            matches = self.similar(model._base_manager.order_by(), query)
            return list(matches.values_list("pk", flat=True))
        sql = f"SELECT array_agg(id) FROM ({self.matching(model, tier)}) AS matches"
        # A common word's matches would be read by testing every row's (out of line) vector
        # in turn, where the index gives them far sooner. The planner is told so for this
        # query alone.
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

    def in_tier(self, queryset, query, tier, loose, walk):
        table, key = table_name(queryset.model), self.key(queryset.model)
        match = f"{table}.{self.vector(tier)} @@ to_tsquery('simple', %s)"
        params = [self.expression(query, loose)]
        if walk:
            probe = f"EXISTS (SELECT 1 FROM {table} WHERE {table}.id = {key} AND {match})"
            return queryset.extra(where=[probe], params=params)
        return queryset.extra(tables=[table], where=[f"{table}.id = {key}", match], params=params)

    def count(self, queryset, query, cap, loose=False):
        # Unordered, the join stops at the cap instead of sorting every match first.
        return self.filter(queryset.order_by(), query, loose).values("pk")[: cap + 1].count()

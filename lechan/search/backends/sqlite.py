"""The index on SQLite, the embedded default: FTS5 tables over folded text."""

import json

from django.db.models.expressions import RawSQL

from lechan.search.backends.base import Backend
from lechan.search.schema import COLUMNS, LAST_TIER, TIERS, table_name


class SQLiteBackend(Backend):
    """FTS5 over folded text, one table per tier's columns; rowid is the primary key.

    The title and the title-with-lead tables answer "all words in the title" without
    reading where in a document each word of a common one stands: a column filter on
    the whole text costs several times more.
    """

    @staticmethod
    def tables(model):
        """{tier: (table, its columns)}; the last tier's table holds every column."""
        base = table_name(model)
        return {
            tier: (base if columns == COLUMNS else f"{base}_{'_'.join(columns)}", columns)
            for tier, columns in TIERS
        }

    def create_statements(self, model):
        return [
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {table} USING fts5({', '.join(columns)}, "
            "tokenize='unicode61 remove_diacritics 2')"
            for table, columns in self.tables(model).values()
        ]

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
        # FTS5 deletes a row by tokenizing it again: dropping the tables and making them
        # again, as their migration does, is far quicker.
        with self.connection.cursor() as cursor:
            for sql in self.drop_statements(model) + self.create_statements(model):
                cursor.execute(sql)

    def analyze(self, models):
        # Without statistics SQLite may drive the join from the model's table and run
        # the full-text match once per row; with them it starts from the match.
        with self.connection.cursor() as cursor:
            for model in models:
                for table, _ in self.tables(model).values():
                    # One b-tree per word instead of one per batch indexed: a common
                    # word's matches are read faster.
                    cursor.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            cursor.execute("ANALYZE")

    def expression(self, query, loose=False):
        """An FTS5 query; loose, each word or phrase also matches as a prefix."""
        star = "*" if loose else ""

        def quoted(words):
            return '"' + " ".join(words) + '"' + star

        positive = [quoted([t]) for t in query.terms] + [quoted(p) for p in query.phrases]
        expression = "(" + " AND ".join(positive) + ")"
        for word in query.excluded:
            expression = f'({expression} NOT "{word}")'
        return expression

    def matching(self, model, tier):
        table = self.tables(model)[tier][0]
        return f"SELECT rowid FROM {table} WHERE {table} MATCH %s"

    def keys(self, model, query, loose=False, tier=LAST_TIER):
        # One JSON array instead of a row per key: far fewer rows to convert in Python.
        sql = f"SELECT json_group_array(rowid) FROM ({self.matching(model, tier)})"
        return json.loads(self.ids(sql, [self.expression(query, loose)])[0])

    @staticmethod
    def among(ids):
        """A `pk__in` value for many ids: one JSON parameter instead of one per id.

        Django prepares each parameter of a list in Python: for a tier of ids that costs
        more than SQLite takes to run the query.
        """
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(list(ids))])

    def in_tier(self, queryset, query, tier, loose, walk):
        """`queryset`'s rows in the tier: joined to its matches, or probed row by row.

        extra() is the one ORM door to an FTS5 table; the match is a parameter.
        """
        table, key = self.tables(queryset.model)[tier][0], self.key(queryset.model)
        params = [self.expression(query, loose)]
        if walk:
            probe = f"SELECT 1 FROM {table} WHERE {table} MATCH %s AND {table}.rowid = {key}"
            return queryset.extra(where=[f"EXISTS ({probe})"], params=params)
        where = [f"{table}.rowid = {key}", f"{table} MATCH %s"]
        return queryset.extra(tables=[table], where=where, params=params)

    def count(self, queryset, query, cap, loose=False):
        """How many of `queryset`'s rows match, counted no further than `cap + 1`.

        Match ids come from the full-text table in rowid order, a batch at a time, and
        `queryset` counts those it holds by key: the match runs once per batch.
        """
        batch = f"{self.matching(queryset.model, LAST_TIER)} AND rowid > %s ORDER BY rowid LIMIT %s"
        expression = self.expression(query, loose)
        # A batch of ids is one JSON parameter; 10 * DENSE at most keeps it small.
        size, found, after = min(2 * (cap + 1), 10 * self.DENSE), 0, 0
        while True:
            ids = self.ids(batch, [expression, after, size])
            if ids:
                found += queryset.filter(pk__in=self.among(ids)).count()
            if found > cap or len(ids) < size:
                return min(found, cap + 1)
            after = ids[-1]

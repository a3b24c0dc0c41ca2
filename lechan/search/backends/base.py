"""What every search backend does the same way: rank matches by tier, read the best rows
of a queryset tier by tier, slice deep into that order. A backend says how its index is
laid out and queried (the abstract methods); the algorithms here only compose them."""

from abc import ABC, abstractmethod

from lechan.search.schema import LAST_TIER, TIERS


class Backend(ABC):
    """An index of folded text per registered model, on one database connection."""

    # best() reads a tier's matches by id up to DENSE of them, joined past that, and walks
    # the rows in order probing the index past WALK matches per row it wants (a common word).
    DENSE = 2000
    WALK = 50

    def __init__(self, connection):
        self.connection = connection

    # The index's layout and upkeep ------------------------------------------------------

    @staticmethod
    @abstractmethod
    def tables(model):
        """{tier: (table, its columns)} of the tables that hold the model's index."""

    @abstractmethod
    def create_statements(self, model):
        """The SQL that makes the model's index, safe to run on an index that exists."""

    def drop_statements(self, model):
        return [f"DROP TABLE IF EXISTS {table}" for table, _ in self.tables(model).values()]

    @abstractmethod
    def index(self, registration, instances, fresh=False):
        """Write the documents of `instances`; `fresh`: the index holds none of them."""

    @abstractmethod
    def remove(self, model, pk):
        """Take the row `pk` out of the model's index."""

    @abstractmethod
    def clear(self, model):
        """Empty the model's index."""

    @abstractmethod
    def analyze(self, models):
        """Refresh the statistics the planner needs to start from the index."""

    def exists(self, model):
        """Whether every table of the model's index is there (its migration has run)."""
        present = set(self.connection.introspection.table_names())
        return all(table in present for table, _ in self.tables(model).values())

    def is_empty(self, model):
        """Whether any of the model's index tables is empty (new, say, after an upgrade)."""
        with self.connection.cursor() as cursor:
            for table, _ in self.tables(model).values():
                cursor.execute(f"SELECT 1 FROM {table} LIMIT 1")
                if cursor.fetchone() is None:
                    return True
        return False

    # Matching ---------------------------------------------------------------------------

    @abstractmethod
    def expression(self, query, loose=False):
        """The index's own query text for a parsed query: a parameter, never SQL."""

    @abstractmethod
    def matching(self, model, tier):
        """SELECT of the ids of the tier's matches; its one parameter is expression()."""

    @abstractmethod
    def keys(self, model, query, loose=False, tier=LAST_TIER):
        """The keys of every row of `model` in the tier (higher tiers' included)."""

    @staticmethod
    @abstractmethod
    def among(ids):
        """A `pk__in` value for many ids, as one parameter."""

    @abstractmethod
    def in_tier(self, queryset, query, tier, loose, walk):
        """`queryset`'s rows in the tier: joined to its matches, or probed row by row."""

    @abstractmethod
    def count(self, queryset, query, cap, loose=False):
        """How many of `queryset`'s rows match, counted no further than `cap + 1`."""

    @staticmethod
    def key(model):
        """The model's primary key column, as SQL beside an index table."""
        return f"{model._meta.db_table}.{model._meta.pk.column}"

    def ids(self, sql, params):
        """The first column of every row of `sql`."""
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)
            return [row[0] for row in cursor.fetchall()]

    def tier_ids(self, model, query, tier, loose, limit):
        """Up to `limit` ids of the tier's matches (higher tiers' included)."""
        sql = f"{self.matching(model, tier)} LIMIT %s"
        return self.ids(sql, [self.expression(query, loose), limit])

    # The shared algorithms --------------------------------------------------------------

    def filter(self, queryset, query, loose=False):
        """`queryset`'s matches with `search_rank`, their tier.

        Each upper tier's ids are read once, by its own index, into a list the database
        keeps for the query (SQLite's IN list, PostgreSQL's hashed subplan), rather than
        testing each match's own text or vector.
        """
        key = self.key(queryset.model)
        rank = " ".join(
            f"WHEN {key} IN ({self.matching(queryset.model, tier)}) THEN {tier}"
            for tier, _ in TIERS[:-1]
        )
        matches = self.in_tier(queryset, query, LAST_TIER, loose, walk=False)
        return matches.extra(
            select={"search_rank": f"CASE {rank} ELSE {LAST_TIER} END"},
            select_params=[self.expression(query, loose)] * (len(TIERS) - 1),
        )

    def best(self, queryset, query, limit, loose=False):
        """The first `limit` rows of the tiers in turn, each tier in `queryset`'s order.

        A tier's matches include the higher tiers'; a lower tier is only read when the
        higher ones could not fill the page, so every row of theirs in `queryset` is
        already taken and is all there is to leave out.
        """
        rows = []
        for tier, _ in TIERS:
            wanted = limit - len(rows)
            if wanted <= 0:
                break
            taken = [row.pk for row in rows]
            for row in self.best_in_tier(queryset, query, tier, loose, wanted, taken):
                row.search_rank = tier
                rows.append(row)
        return rows

    def best_in_tier(self, queryset, query, tier, loose, wanted, taken):
        """The first `wanted` rows of `queryset` in the tier but those `taken`.

        The tier's ids are read from the index first, no further than the point past
        which reading its matches costs more than walking `queryset` in its order (an
        index on the date) and probing the index row by row until the page is full: a
        common word's tier is then walked. Up to DENSE ids, the page's ids are sorted
        alone (a covering index), then its rows are read; between, the matches are
        joined and sorted.
        """
        walk_past = max(self.DENSE, self.WALK * wanted)
        ids = self.tier_ids(queryset.model, query, tier, loose, walk_past + 1)
        if len(ids) <= self.DENSE:
            ids = set(ids).difference(taken)
            if not ids:
                return []
            page = queryset.filter(pk__in=self.among(ids)).values("pk")[:wanted]
            return queryset.filter(pk__in=page)[:wanted]
        narrowed = self.in_tier(queryset, query, tier, loose, walk=len(ids) > walk_past)
        return narrowed.exclude(pk__in=taken)[:wanted]

    def ranked_keys(self, queryset, query, start, stop, loose=False, matched=None):
        """The keys of rows `start` to `stop` of `queryset`'s matches in best()'s order.

        Each tier's rows (its matches but the higher tiers') are counted in turn until the
        tier where the slice starts, and read from there with an offset. `matched`, the
        keys of every match if the caller has them, saves reading the last tier's.
        """
        keys, higher, wanted = [], set(), stop - start
        for tier, _ in TIERS:
            if tier == LAST_TIER and matched is not None:
                ids = set(matched) - higher
            else:
                ids = set(self.keys(queryset.model, query, loose, tier)) - higher
            higher |= ids
            rows = queryset.filter(pk__in=self.among(ids)).values_list("pk", flat=True)
            if start and tier != LAST_TIER:
                count = rows.count()
                if start >= count:
                    start -= count
                    continue
            keys += rows[start : start + wanted - len(keys)]
            start = 0
            if len(keys) == wanted:
                break
        return keys

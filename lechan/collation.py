"""Vietnamese text inside the database: alphabetical order and folded comparison.

Order follows the alphabet a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y
(with f j w z in their Latin places): code-point order would put "Đ" after "Z".
Letters sort first, tones second; spaces and digits before letters, so "Hồ Sen"
comes before "Hồng Bàng". PostgreSQL uses ICU's Vietnamese collation, SQLite
the key below.
"""

import functools
import unicodedata

from django.db import connection
from django.db.models import F, Func, TextField
from django.db.models.functions import Collate

from lechan.text import fold

ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
# Tones in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
SQLITE_COLLATION = "vietnamese"
POSTGRES_COLLATION = "vi-x-icu"


@functools.lru_cache(maxsize=4096)
def _letter(char):
    """(letter rank, tone rank) of one lowercase NFC character."""
    tone, base = 0, ""
    for part in unicodedata.normalize("NFD", char):
        if part in _TONE_RANK:
            tone = _TONE_RANK[part]
        else:
            base += part
    base = unicodedata.normalize("NFC", base)
    rank = _LETTER_RANK.get(base)
    # Anything that is not a letter (space, digit, punctuation) sorts before letters.
    return ((1, rank) if rank is not None else (0, ord(base[:1] or " "))), tone


# SQLite compares names pairwise while sorting: each name's key is built once.
@functools.lru_cache(maxsize=16384)
def sort_key(text):
    pairs = [_letter(char) for char in unicodedata.normalize("NFC", (text or "").lower())]
    return tuple(letter for letter, _ in pairs), tuple(tone for _, tone in pairs)


def _compare(a, b):
    key_a, key_b = sort_key(a), sort_key(b)
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_functions(sender, connection, **kwargs):
    """connection_created handler: teach SQLite the Vietnamese order and folding."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)
        connection.connection.create_function("vn_fold", 1, fold, deterministic=True)


class Folded(Func):
    """The folded text of an expression (lowercase, no tone marks, đ→d), in SQL."""

    function = "vn_fold"
    output_field = TextField()

    def as_postgresql(self, compiler, connection, **extra_context):
        # unaccent maps đ to d as well; lower() after it handles capitals.
        return self.as_sql(
            compiler,
            connection,
            function="lower(unaccent",
            template="%(function)s(%(expressions)s))",
            **extra_context,
        )


def vietnamese(field_name):
    """An expression that orders `field_name` in Vietnamese alphabetical order."""
    name = POSTGRES_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(F(field_name), name)

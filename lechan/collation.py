"""Vietnamese alphabetical order: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y.

Code-point order puts "Đ" after "Z" and "Â" after "Ă"-words wrongly; this key
sorts by letter first (in the Vietnamese alphabet) and by tone second.
"""

import unicodedata

from django.db import connection
from django.db.models import F
from django.db.models.functions import Collate

ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
_LETTER_RANK = {letter: index for index, letter in enumerate(ALPHABET)}
# Tones in dictionary order: ngang, huyền, hỏi, ngã, sắc, nặng.
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
SQLITE_COLLATION = "vietnamese"
POSTGRES_COLLATION = "vi-x-icu"


def sort_key(text):
    letters, tones = [], []
    for char in unicodedata.normalize("NFC", (text or "").lower()):
        decomposed = unicodedata.normalize("NFD", char)
        tone = 0
        base = ""
        for part in decomposed:
            if part in _TONE_RANK:
                tone = _TONE_RANK[part]
            else:
                base += part
        base = unicodedata.normalize("NFC", base)
        rank = _LETTER_RANK.get(base)
        # Letters outside the alphabet (digits, f, j, w, z, punctuation) keep code-point order
        # after a fixed offset so that they stay comparable with Vietnamese letters.
        letters.append((0, rank) if rank is not None else (1, ord(base[:1] or " ")))
        tones.append(tone)
    return letters, tones


def _compare(a, b):
    key_a, key_b = sort_key(a), sort_key(b)
    return (key_a > key_b) - (key_a < key_b)


def register_sqlite_collation(sender, connection, **kwargs):
    """connection_created handler: teach SQLite the Vietnamese order."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _compare)


def vietnamese(field_name):
    """An expression that orders `field_name` in Vietnamese alphabetical order."""
    name = POSTGRES_COLLATION if connection.vendor == "postgresql" else SQLITE_COLLATION
    return Collate(F(field_name), name)

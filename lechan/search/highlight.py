"""Snippets of the original text around a match, the matched words in <mark>."""

import functools
import html
import re

from django.utils.html import escape

from lechan.text import fold

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")


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

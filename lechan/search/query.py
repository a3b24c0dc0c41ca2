"""A reader's query, parsed: folded words, quoted phrases and excluded words."""

import re
from dataclasses import dataclass, field

from lechan.text import fold

MAX_QUERY_LENGTH = 500
MAX_TERMS = 12

_TOKEN = re.compile(r"[a-z0-9]+")
_PART = re.compile(r'(-?)"([^"]*)"?|(\S+)')


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


def may_loosen(query):
    """Whether a looser match may be tried when nothing matches exactly.

    A quoted phrase asks for exactly that phrase: no loose fallback then.
    """
    return not query.phrases

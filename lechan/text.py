"""Vietnamese text folding and slugs, shared by both apps and the search service."""

import re
import unicodedata

# Letters that Unicode does not decompose into a base letter and a mark.
_SPECIAL = str.maketrans({"đ": "d", "Đ": "d", "ð": "d", "Ð": "d"})
_NON_SLUG = re.compile(r"[^a-z0-9]+")


def fold(text):
    """Lowercase, strip tone marks and diacritics, đ→d; NFC and NFD input alike.

    "Hồ Sen – Cầu Rào 2" folds to "ho sen – cau rao 2"; characters with no
    Latin base (dashes, punctuation) are kept so offsets stay meaningful.
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", str(text).translate(_SPECIAL))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).translate(_SPECIAL).lower()


def slugify_vi(text, max_length=None):
    """An ASCII slug from Vietnamese text: "Đổi mới …" gives "doi-moi-…"."""
    slug = _NON_SLUG.sub("-", fold(text)).strip("-")
    if max_length and len(slug) > max_length:
        head = slug[: max_length + 1]
        slug = head.rsplit("-", 1)[0] if "-" in head else slug[:max_length]
    return slug


def unique_slug(instance, text, field_name="slug"):
    """A slug for `instance` from `text`, made unique in its model with -2, -3, …"""
    model = type(instance)
    max_length = model._meta.get_field(field_name).max_length
    base = slugify_vi(text, max_length) or model._meta.model_name
    others = model._default_manager.exclude(pk=instance.pk)
    candidate, n = base, 1
    while others.filter(**{field_name: candidate}).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate

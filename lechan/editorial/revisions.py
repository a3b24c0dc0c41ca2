"""Revision history on top of django-reversion: field-by-field diffs, restore, who saved last.

An item's revision holds the item and the inlines it follows (an article's photos and
key figures, a project's photos and milestones). Restoring writes the old values back
through the model's own `save()` (so the version number still grows, an old address still
redirects and the search index follows) and puts the inlines back as they were. An old
address another item has taken since is not taken back: a restored item keeps its current
one, a recovered item gets a free one.
"""

import difflib
import re
from dataclasses import dataclass, field

from django.contrib import admin
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.utils import formats, timezone
from django.utils.html import format_html, format_html_join, strip_tags
from reversion import add_to_revision, create_revision, set_comment, set_user
from reversion.models import Version
from reversion.revisions import _get_options, is_registered

from lechan.html import split_blocks
from lechan.models import PublicItem, Redirect, SluggedModel

# How "nothing" reads to an editor: in diffs, and in the admin's columns (lechan.admin.EMPTY).
EMPTY = "—"
LONG_TEXT = 200


@dataclass
class Change:
    label: str
    before: str
    after: str
    diff: str = ""  # inline <del>/<ins> markup for long text


@dataclass
class InlineChange:
    label: str  # "Ảnh trong bài: Quang cảnh đại hội"
    kind: str  # "thêm", "bỏ" or "sửa"
    changes: list = field(default_factory=list)


def user_name(user):
    if user is None:
        return "hệ thống"
    return user.get_full_name() or user.get_username()


def when(moment):
    return formats.date_format(timezone.localtime(moment), "H:i d/m/Y")


def versions_for(obj):
    """The stored versions of `obj`, newest first, with their revisions and users."""
    return Version.objects.get_for_object(obj).select_related("revision", "revision__user")


def ensure_baseline(obj, user=None):
    """Keep the current state of an item that has no revision yet (loaded by a fixture or a
    script) before an editor changes or deletes it, so that state can be restored too."""
    if obj is None or obj.pk is None or not is_registered(type(obj)):
        return
    if Version.objects.get_for_object(obj).exists():
        return
    with create_revision():
        set_user(user)
        set_comment("Trạng thái trước lần sửa đầu tiên trong trang quản trị.")
        add_to_revision(obj)


def version_numbered(obj, number):
    """The stored version of `obj` whose `version` field was `number`, if kept."""
    for version in versions_for(obj):
        if version.field_dict.get("version") == number:
            return version
    return None


def hidden_fields(model):
    """Fields an editor does not set by hand, as the model declares them (PublicItem):
    left out of diffs, never restored."""
    return set(getattr(model, "revision_hidden_fields", ()))


def _form_order(model):
    """The field names in the order the model's admin form declares them (`fields`), if it does."""
    try:
        return list(admin.site.get_model_admin(model).fields or [])
    except NotRegistered:
        return []


def editable_fields(model):
    """The fields an editor sets, in the order the admin form shows them, else the model's.

    Fields an abstract parent declares (a slug, a photo's caption) come first in the model's
    order, whatever their place in the form: an editor reads a diff in the form's order.
    """
    hidden = hidden_fields(model)
    fields = [
        f
        for f in [*model._meta.concrete_fields, *model._meta.many_to_many]
        if f.editable and not f.auto_created and f.name not in hidden
    ]
    order = _form_order(model)
    return sorted(fields, key=lambda f: order.index(f.name) if f.name in order else len(order))


def values_of(obj):
    """An instance as a field dict in the form `Version.field_dict` uses."""
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
    for f in obj._meta.many_to_many:
        data[f.attname] = [related.pk for related in getattr(obj, f.name).all()]
    return data


def _is_html(model_field):
    """Whether the field holds HTML, as its model declares (`html_fields`): read as text."""
    return model_field.name in getattr(model_field.model, "html_fields", ())


def text_of(model_field, value):
    if _is_html(model_field):
        return "\n".join(strip_tags(block) for block in split_blocks(value or ""))
    return value or ""


def display(model_field, value):
    """How an editor reads a stored value: labels, names, Vietnamese dates, "—" for nothing."""
    if value in (None, "") or value == []:
        return EMPTY
    if model_field.many_to_many:
        names = model_field.related_model._default_manager.filter(pk__in=value)
        return ", ".join(sorted(str(o) for o in names)) or EMPTY
    if model_field.is_relation:
        related = model_field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"(đã xóa, mã {value})"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.BooleanField):
        return "Có" if value else "Không"
    if isinstance(model_field, models.DateTimeField):
        return when(value)
    if isinstance(model_field, models.DateField):
        return formats.date_format(value, "d/m/Y")
    if isinstance(model_field, models.FileField):
        return str(value)
    if _is_html(model_field):
        return text_of(model_field, value)
    return str(value)


def word_diff(before, after):
    """`after` with removed words in <del> and added words in <ins>, all text escaped."""
    old, new = re.split(r"(\s+)", before), re.split(r"(\s+)", after)
    parts = []
    for op, a1, a2, b1, b2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if op in ("delete", "replace"):
            parts.append(format_html("<del>{}</del>", "".join(old[a1:a2])))
        if op in ("insert", "replace"):
            parts.append(format_html("<ins>{}</ins>", "".join(new[b1:b2])))
        if op == "equal":
            parts.append(format_html("{}", "".join(old[a1:a2])))
    return format_html_join("", "{}", ((p,) for p in parts))


def _same(model_field, a, b):
    if model_field.many_to_many:
        return sorted(a or []) == sorted(b or [])
    if isinstance(model_field, models.FileField):
        return str(a or "") == str(b or "")
    return (a if a is not None else "") == (b if b is not None else "")


def field_changes(model, before, after):
    """[Change] for each editable field whose value differs between two field dicts."""
    changes = []
    for f in editable_fields(model):
        if f.attname not in before or f.attname not in after:
            continue
        old, new = before[f.attname], after[f.attname]
        if _same(f, old, new):
            continue
        change = Change(str(f.verbose_name).capitalize(), display(f, old), display(f, new))
        old_text, new_text = str(text_of(f, old)), str(text_of(f, new))
        if isinstance(f, models.TextField) or max(len(old_text), len(new_text)) > LONG_TEXT:
            change.diff = word_diff(old_text, new_text)
        changes.append(change)
    return changes


def followed(model):
    """[(accessor, related model, name of the foreign key to `model`)] of followed inlines."""
    # django-reversion (pinned in requirements.txt) names the relations a model was registered
    # to follow only in its private `_get_options`: read here alone.
    result = []
    for name in _get_options(model).follow:
        relation = model._meta.get_field(name)
        if relation.one_to_many:
            result.append((name, relation.related_model, relation.field.attname))
    return result


def kept_object(version):
    """The item as `version` keeps it: the deserialized object (`.object`, `.m2m_data`).

    django-reversion has no public name for it; `Version._object_version` (pinned in
    requirements.txt) is cached, and it is the object `Version.revert()` saves, so a change
    made to it (a recovered item's free slug) is what the revert writes.
    """
    return version._object_version


def inline_versions(version):
    """The versions of the inlines stored in the same revision as `version`, by model."""
    found = {}
    model = version.content_type.model_class()
    for accessor, related_model, fk in followed(model):
        content_type = ContentType.objects.get_for_model(related_model)
        kept = [
            v
            for v in version.revision.version_set.filter(content_type=content_type)
            if str(v.field_dict.get(fk)) == str(version.object_id)
        ]
        found[accessor] = (related_model, kept)
    return found


def inline_changes(version, obj):
    """[InlineChange] between the inlines kept with `version` and those of `obj` now."""
    result = []
    for accessor, (related_model, kept) in inline_versions(version).items():
        verbose = str(related_model._meta.verbose_name_plural).capitalize()
        then = {str(v.object_id): v for v in kept}
        now = {str(o.pk): o for o in getattr(obj, accessor).all()} if obj else {}
        for pk, v in then.items():
            if pk not in now:
                result.append(InlineChange(f"{verbose}: {v.object_repr}", "bỏ"))
                continue
            changes = field_changes(related_model, v.field_dict, values_of(now[pk]))
            if changes:
                result.append(InlineChange(f"{verbose}: {now[pk]}", "sửa", changes))
        for pk, current in now.items():
            if pk not in then:
                result.append(InlineChange(f"{verbose}: {current}", "thêm"))
    return result


@dataclass
class Conflict:
    who: str
    at: str
    changes: list
    inline_changes: list


def conflict(obj, opened_version):
    """Who saved `obj` after `opened_version` was opened, and what they changed."""
    latest = versions_for(obj).first()
    who = user_name(latest.revision.user) if latest else "một người khác"
    at = when(latest.revision.date_created) if latest else ""
    base = version_numbered(obj, opened_version)
    if base is None:
        return Conflict(who, at, [], [])
    return Conflict(
        who,
        at,
        field_changes(type(obj), base.field_dict, values_of(obj)),
        inline_changes(base, obj),
    )


def _existing_or_none(model_field, value):
    if value is None or not model_field.is_relation:
        return value
    exists = model_field.related_model._default_manager.filter(pk=value).exists()
    return value if exists else None


def _slug_is_free_for(item, slug):
    """Whether `item` may take `slug`: no other row's address, nor another item's old one."""
    others = type(item)._default_manager.exclude(pk=item.pk)
    return not others.filter(slug=slug).exists() and item.slug_is_free(slug)


def _earlier_paths(model, pk):
    """Every address the item at `pk` had in its kept versions."""
    slugs = {v.field_dict.get("slug") for v in Version.objects.get_for_object_reference(model, pk)}
    return [model.address(slug) for slug in slugs if slug]


def _recover_slug(version):
    """Before a deleted item comes back: a free slug if its own has been taken; the note says so."""
    deleted = kept_object(version).object
    if not isinstance(deleted, PublicItem):  # an item with an address of its own
        return ""
    wanted = deleted.slug
    deleted.slug = deleted.free_slug(wanted)
    if deleted.slug == wanted:
        return ""
    # Its earlier addresses led to the one now taken: they lead to it again.
    taken_path = deleted.address(wanted)
    earlier = _earlier_paths(type(deleted), deleted.pk)
    Redirect.objects.lead_back(earlier, taken_path, deleted.get_absolute_url())
    what = deleted._meta.verbose_name
    return (
        f"Đường dẫn cũ “{wanted}” nay thuộc về một mục khác, nên {what} được khôi phục "
        f"với đường dẫn mới “{deleted.slug}”."
    )


def _keep_slug(restored, stored):
    """A restored item keeps its current slug when the old one is now another item's."""
    if not isinstance(stored, SluggedModel) or restored.slug == stored.slug:
        return ""
    if _slug_is_free_for(stored, restored.slug):
        return ""
    wanted, restored.slug = restored.slug, stored.slug
    what = stored._meta.verbose_name
    return (
        f"Đường dẫn “{wanted}” của phiên bản này nay thuộc về một mục khác, nên {what} "
        f"giữ đường dẫn hiện tại “{stored.slug}”."
    )


def restore(version, user, prepare=None):
    """Put `version` back (inlines included) as a new revision.

    Returns the restored item and a note for the editor ("" when there is nothing to say).
    `prepare(restored, current)` may adjust the item before it is saved (a reporter's
    restore, for one, keeps the current workflow state).
    """
    model = version.content_type.model_class()
    current = model._default_manager.filter(pk=version.object_id).first()
    kept = inline_versions(version)
    with transaction.atomic(), create_revision():
        set_user(user)
        set_comment(f"Khôi phục phiên bản lưu lúc {when(version.revision.date_created)}.")
        if current is None:
            note = _recover_slug(version)
            version.revert()  # recreate the deleted row first: the inlines point to it
            current = model._default_manager.get(pk=version.object_id)
            stored = None
        else:
            stored = model._default_manager.get(pk=current.pk)
        for accessor, (_related_model, inline) in kept.items():
            keep = [v.object_id for v in inline]
            getattr(current, accessor).exclude(pk__in=keep).delete()
            for v in inline:
                v.revert()
        old, hidden = kept_object(version), hidden_fields(model)
        for f in model._meta.concrete_fields:
            if f.primary_key or f.name in hidden or f.attname not in version.field_dict:
                continue
            setattr(current, f.attname, _existing_or_none(f, getattr(old.object, f.attname)))
        if stored is not None:
            note = _keep_slug(current, stored)
        if prepare:
            prepare(current, stored)
        current.save()
        for f in model._meta.many_to_many:
            if f.attname in (old.m2m_data or {}):
                pks = f.related_model._default_manager.filter(pk__in=old.m2m_data[f.attname])
                getattr(current, f.name).set(pks)
    return current, note

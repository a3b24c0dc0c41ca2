"""Mixins every admin of the site builds on.

`BoundedInputMixin` (numbers typed as Vietnamese write them, every value within its
column) is on every admin; `ReadableOnlyMixin` shows each user only what they may read (a
reporter, what is published and their own work) and `ParentEditableMixin` extends it to an
item's parts. `PhotoFailureMixin` turns a photo that fails while being stored into a
message on the form, with nothing left in the media storage.
"""

from contextlib import nullcontext
from datetime import datetime, timezone

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, connection, models, transaction
from django.db.models import F, Q
from django.utils.html import format_html
from reversion import add_to_revision, create_revision, set_comment, set_user

from lechan import images, numbers, search
from lechan.editorial import revisions
from lechan.editorial.revisions import EMPTY

# A moment every column holds whatever its time zone: Python's years 1 to 9999, a day inside.
EARLIEST = datetime(1, 1, 2, tzinfo=timezone.utc)
LATEST = datetime(9999, 12, 30, tzinfo=timezone.utc)


def storable_moment(value):
    if not EARLIEST <= value <= LATEST:
        raise ValidationError(
            "Ngày giờ phải nằm trong khoảng từ 02/01/0001 đến 30/12/9999.", code="out_of_range"
        )


class BoundedInputMixin:
    """What the admin reads stays within what its columns hold, and numbers read as Vietnamese.

    Every numeric field of every form is a `numbers.NumberField` bounded by its column
    ("40.843", "91,95"; `number_units` lets an editor type another unit, e.g. tỷ đồng for
    a column of đồng); a date and time is one that every column and time zone holds. A list
    address asking for more (a year 10**30) gets Django's answer to a bad filter, the list
    without it, never a 500.
    """

    # field name → NumberField options: a "unit" and its "label" (the column's value typed in
    # that unit), "grouped": False for a year
    number_units = {}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        kwargs = {**self.number_units.get(db_field.name, {}), **kwargs}
        field = numbers.formfield(db_field, **kwargs)
        if field is None:
            field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and isinstance(db_field, models.DateTimeField):
            field.validators.append(storable_moment)
        return field

    def get_changelist_instance(self, request):
        # PostgreSQL refuses a value out of range and aborts the transaction: a savepoint
        # rolls that back. SQLite refuses it before asking, and there an atomic block would
        # take the write lock (IMMEDIATE transactions) for a list that only reads.
        guard = transaction.atomic() if connection.vendor == "postgresql" else nullcontext()
        try:
            with guard:
                return super().get_changelist_instance(request)
        except (OverflowError, DataError) as error:
            raise IncorrectLookupParameters(error) from error


def thumbnail(image_file, size=120, alt=""):
    """An <img> preview of an ImageField file, or "—" when no file is attached.

    Only the stored name is checked, not the storage: asking S3 whether each
    file exists would cost a request per row.
    """
    if not image_file:
        return EMPTY
    try:
        url = image_file.url
    except ValueError:
        return EMPTY
    return format_html(
        '<img src="{}" alt="{}" loading="lazy" style="max-width: {}px; max-height: {}px">',
        url,
        alt,
        size,
        size,
    )


class ThumbnailMixin:
    """A read-only `thumbnail` field for admins and inlines of models with `image` and `alt`."""

    thumbnail_size = 120

    @admin.display(description="ảnh nhỏ")  # "xem trước" is the preview of an unpublished item
    def thumbnail(self, obj):
        return thumbnail(obj.image, self.thumbnail_size, alt=obj.alt)


def with_photo_error(form_class, error):
    """`form_class` refusing the form whose upload is the one `error` names.

    The photo field gets the message; a form without that upload (the article's, when the
    photo is in an inline) gets it at the top if `at_top`, so the page can never save.
    """

    class PhotoErrorForm(form_class):
        at_top = False

        def clean(self):
            cleaned_data = super().clean()
            fields = [n for n, f in self.fields.items() if isinstance(f, forms.FileField)]
            failed = [n for n in fields if self.files.get(self.add_prefix(n)) is error.upload]
            for name in failed:
                self.add_error(name, error.message)
            if self.at_top and not failed:
                self.add_error(None, error.message)
            return cleaned_data

    PhotoErrorForm.__name__ = form_class.__name__
    return PhotoErrorForm


class PhotoFailureMixin:
    """A photo that cannot be processed on save: no 500, no file left, the form shown again.

    The save runs inside `images.removed_on_error`, so every photo file it stored goes when
    it fails (the database rolls back on its own). On `images.PhotoError` the view runs once
    more on the same request, its forms refusing the failed upload with the Vietnamese
    message: the editor gets the form back as filled in.
    """

    def add_view(self, request, form_url="", extra_context=None):
        return self._photo_safe(super().add_view, request, form_url, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._photo_safe(super().change_view, request, object_id, form_url, extra_context)

    def _photo_safe(self, view, request, *args):
        try:
            with images.removed_on_error():
                return view(request, *args)
        except images.PhotoError as error:
            request.photo_error = error
            return view(request, *args)

    def get_form(self, request, obj=None, **kwargs):
        form_class = super().get_form(request, obj, **kwargs)
        error = getattr(request, "photo_error", None)
        if error is None:
            return form_class
        form_class = with_photo_error(form_class, error)
        form_class.at_top = True
        return form_class

    def get_formsets_with_inlines(self, request, obj=None):
        error = getattr(request, "photo_error", None)
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if error is not None:
                form_class = with_photo_error(formset.form, error)
                formset = type(formset.__name__, (formset,), {"form": form_class})
            yield formset, inline


class FoldedSearchMixin:
    """Admin search through the site's search service: "le trung kien" finds "Lê Trung Kiên".

    Rows matched by the service are added to those Django's own search_fields
    find (so related names such as the speaker's still match).
    """

    def get_search_results(self, request, queryset, search_term):
        found, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if not search.parse(search_term):
            return found, may_have_duplicates
        matches = search.search(queryset.model._default_manager.all(), search_term)
        return (
            queryset.filter(Q(pk__in=matches.values("pk")) | Q(pk__in=found.values("pk"))),
            False,
        )


class ReadableOnlyMixin(BoundedInputMixin):
    """An admin that shows each user only what they may read, on every page of it.

    The list, the change, delete and revision pages and the autocomplete answers all
    start from `get_queryset`, narrowed here by `readable`; django-reversion's history
    page reads the item's versions without it, so it asks for the item first.
    """

    def readable(self, request, queryset):
        """The part of `queryset` the user may read (all of it, unless narrowed)."""
        return queryset

    def get_queryset(self, request):
        return self.readable(request, super().get_queryset(request))

    def not_found(self, request, object_id):
        """Django's answer to an item that is not there, or not for this user: a message and
        the list. Django has no public name for it; its private one is called here alone."""
        return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self.not_found(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self.not_found(request, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)


class ParentEditableMixin(ReadableOnlyMixin):
    """Photos, figures, milestones: read by whoever may read their item, changed by whoever
    may change it, deleted ones listed and recovered by editors only.

    For inlines the item is the `obj` Django passes; for their own admin pages it is
    `obj.<parent_field>`. Saving or deleting one on its own page is a change of its item (of
    both, when it moves to another): the item's `version` grows, so a form of the item opened
    before is refused on save, and its history shows the change.
    """

    parent_field = None
    # "app.codename": who may delete many at once from the list, and see and recover deleted ones
    bulk_delete_permission = None

    def _parent(self, obj):
        if obj is None:
            return None
        if isinstance(self, admin.options.InlineModelAdmin):
            return obj
        return getattr(obj, self.parent_field)

    def readable(self, request, queryset):
        if isinstance(self, admin.options.InlineModelAdmin):
            return queryset  # shown in its item's page, which is readable
        parents = self.model._meta.get_field(self.parent_field).related_model._default_manager
        return queryset.filter(**{f"{self.parent_field}__in": parents.visible_to(request.user)})

    def _parent_editable(self, request, obj):
        parent = self._parent(obj)
        return parent is None or parent.is_editable_by(request.user)

    def has_add_permission(self, request, *args):
        obj = args[0] if args else None
        return super().has_add_permission(request, *args) and self._parent_editable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == self.parent_field:
            kwargs["queryset"] = db_field.related_model.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not request.user.has_perm(self.bulk_delete_permission):
            actions.pop("delete_selected", None)
        return actions

    def recoverlist_view(self, request, extra_context=None):
        # A deleted one is read from its versions: whose item it was is no longer checked.
        if not request.user.has_perm(self.bulk_delete_permission):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        if not request.user.has_perm(self.bulk_delete_permission):
            raise PermissionDenied
        return super().recover_view(request, version_id, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            self._keep_parent_baseline(request, object_id)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        if request.method == "POST":
            self._keep_parent_baseline(request, object_id)
        return super().delete_view(request, object_id, extra_context)

    def save_model(self, request, obj, form, change):
        fk = self._parent_fk
        before = list(self.model._default_manager.filter(pk=obj.pk).values_list(fk, flat=True))
        super().save_model(request, obj, form, change)
        self._parents_changed(request, {*before, getattr(obj, fk)})

    def delete_model(self, request, obj):
        parent_id = getattr(obj, self._parent_fk)
        super().delete_model(request, obj)
        self._parents_changed(request, {parent_id}, f"Xóa {obj._meta.verbose_name} “{obj}”.")

    def delete_queryset(self, request, queryset):
        parent_ids = set(queryset.values_list(self._parent_fk, flat=True))
        super().delete_queryset(request, queryset)
        self._parents_changed(request, parent_ids)

    @property
    def _parent_fk(self):
        return self.model._meta.get_field(self.parent_field).attname

    def _keep_parent_baseline(self, request, object_id):
        """Keep the item's state before its first change, so a conflict can show what changed."""
        obj = self.get_object(request, unquote(object_id))
        revisions.ensure_baseline(self._parent(obj))

    def _parents_changed(self, request, parent_ids, comment=""):
        """A change made here is a change of the items: their `version` grows, so a form of
        one opened before is refused on save (VersionedForm), and their history shows it."""
        parent_model = self.model._meta.get_field(self.parent_field).related_model
        parents = parent_model._default_manager.filter(pk__in=parent_ids)
        parents.update(version=F("version") + 1)
        # Joins the revision the admin view keeps, or keeps one of its own (deletion).
        with create_revision():
            set_user(request.user)
            if comment:
                set_comment(comment)
            for parent in parents:
                add_to_revision(parent)

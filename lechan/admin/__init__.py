"""Admin pieces both apps share: thumbnails, folded search, and the editorial admin.

`EditorialAdmin` gives an app's main model (article, project) what editors rely on:
revision history with a field-by-field diff and one-click restore, recovery of deleted
items, protection against two people saving over each other (optimistic locking on
`version`), a "Xem trước" link, and the item's workflow history. The core registers one
model of its own, `Redirect`; it imports no app. The users and groups pages name
permissions in Vietnamese. `PhotoFailureMixin` turns a photo that fails while being stored
into a message on the form, with nothing left in the media storage.

Every admin of the site derives from `BoundedInputMixin` (numbers typed as Vietnamese
write them, every value within its column); those of items and of their parts show each
user only what they may read (`ReadableOnlyMixin`: a reporter, what is published and
their own work).
"""

import base64
import hashlib
import re
from contextlib import nullcontext
from datetime import datetime, timezone
from functools import partial

from django import forms
from django.apps import apps
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError, connection, models, transaction
from django.db.models import F, Q
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from reversion import add_to_revision, create_revision, set_comment, set_user
from reversion.admin import VersionAdmin
from reversion.models import Version

from lechan import images, numbers, search
from lechan.editorial import revisions, workflow
from lechan.models import Redirect

EMPTY = "—"
IMPORT_MAP = re.compile(rb'<script type="importmap">(.*?)</script>', re.S)
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


def allow_import_map(response):
    """Let the admin's Content-Security-Policy run the rich-text editor's import map.

    The map is an inline <script type="importmap"> (django-js-asset); a policy without
    'unsafe-inline' runs it only when it names the script's hash, added here.
    """
    policy = getattr(settings, "CSP_ADMIN", None) or getattr(settings, "CSP", None)
    match = IMPORT_MAP.search(response.content) if policy else None
    if match:
        digest = base64.b64encode(hashlib.sha256(match.group(1)).digest()).decode()
        sources = [*policy.get("script-src", ["'self'"]), f"'sha256-{digest}'"]
        response["Content-Security-Policy"] = "; ".join(
            f"{directive} {' '.join(values)}".strip()
            for directive, values in {**policy, "script-src": sources}.items()
        )
    return response


class VersionedForm(forms.ModelForm):
    """A form that refuses to save over a change made since it was opened.

    It carries the `version` the editor opened; if the stored one has moved on, the save
    is refused with who saved meanwhile and what they changed, the editor's input stays in
    the form, and the form now carries the new version: saving again, knowingly, wins.
    """

    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    conflict = None
    request = None  # set by EditorialAdmin.get_form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is not None:
            self.fields["edit_version"].initial = self.instance.version

    def clean_slug(self):
        slug = self.cleaned_data.get("slug")
        if slug and slug != self.instance.slug and not self.instance.slug_is_free(slug):
            raise ValidationError(
                "Đường dẫn này là địa chỉ cũ của một mục khác (đang chuyển hướng tới đó); "
                "hãy chọn đường dẫn khác."
            )
        return slug

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None:
            return cleaned
        opened = cleaned.get("edit_version")
        if opened is None:
            # Without the version it was opened at, a save could overwrite someone else's.
            self._errors.pop("edit_version", None)  # its own error would sit in a hidden row
            raise ValidationError(
                "Chưa lưu: trang sửa này không cho biết bạn mở %(what)s từ phiên bản nào, nên "
                "không kiểm tra được có ai lưu trong lúc bạn sửa hay không. Nội dung bạn nhập "
                "vẫn còn bên dưới: hãy chép lại phần mình sửa, tải lại trang rồi sửa tiếp.",
                code="no_version",
                params={"what": type(self.instance)._meta.verbose_name},
            )
        model = type(self.instance)
        # Locked until the admin's transaction ends, so two saves cannot both pass.
        current = model._default_manager.select_for_update().filter(pk=self.instance.pk).first()
        if current is None or current.version == opened:
            return cleaned
        self.conflict = revisions.conflict(current, opened)
        self.data = self.data.copy()
        self.data[self.add_prefix("edit_version")] = current.version
        raise ValidationError(
            "Chưa lưu: trong lúc bạn sửa, %(who)s đã lưu %(what)s này%(at)s. Nội dung bạn nhập "
            "vẫn còn nguyên bên dưới. Xem những gì đã thay đổi, sửa lại nếu cần, rồi bấm Lưu "
            "lần nữa nếu vẫn muốn ghi bản của bạn lên bản của họ.",
            code="conflict",
            params={
                "who": self.conflict.who,
                "what": model._meta.verbose_name,
                "at": f" lúc {self.conflict.at}" if self.conflict.at else "",
            },
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

    def history_view(self, request, object_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().history_view(request, object_id, extra_context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        return super().revision_view(request, object_id, version_id, extra_context)


def view_on_site(request, content_type_id, object_id):
    """The admin's "view on site" redirect, for an item its admin shows the user (lechan/urls.py).

    Django's own leads to any item's address, a draft's included, and the address tells the title.
    """
    try:
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is None:  # a content type whose model is gone
            raise Http404
        model_admin = admin.site.get_model_admin(model)
        found = model_admin.get_object(request, unquote(object_id))
    except (ContentType.DoesNotExist, NotRegistered, OverflowError) as error:
        raise Http404 from error  # OverflowError: an id no column holds (SQLite)
    if found is None:
        raise Http404
    return contenttype_views.shortcut(request, content_type_id, object_id)


class EditorialAdmin(ReadableOnlyMixin, VersionAdmin):
    """History, restore, recovery, conflict protection, preview and workflow history.

    Each user reads the items of the model's `visible_to(user)`: a reporter, what is
    public and their own work; an editor, everything.
    """

    form = VersionedForm
    change_form_template = "admin/lechan/change_form.html"
    change_list_template = "admin/lechan/change_list.html"
    object_history_template = "admin/lechan/object_history.html"
    recover_list_template = "admin/lechan/recover_list.html"
    history_latest_first = True
    publish_permission = None  # "app.codename" of the right to publish
    status_labels = {}  # workflow state code → label, for the workflow history

    def can_publish(self, request):
        return request.user.has_perm(self.publish_permission)

    def readable(self, request, queryset):
        return queryset.visible_to(request.user)

    def has_publish_permission(self, request):
        """Gates the list actions declared with permissions=["publish"]."""
        return self.can_publish(request)

    def workflow_state(self, obj):
        """The item's workflow state as a code (see `status_labels`)."""
        return None

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        return type(form.__name__, (form,), {"request": request})

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is not None and self.has_change_permission(request, obj):
            fieldsets.append((None, {"fields": ["edit_version"], "classes": ["hidden"]}))
        return fieldsets

    def get_actions(self, request):
        actions = super().get_actions(request)
        # Deleting in bulk skips the per-item rules: editors only.
        if not self.can_publish(request):
            actions.pop("delete_selected", None)
        return actions

    @admin.display(description="lịch sử trạng thái")
    def status_history(self, obj):
        if obj is None or obj.pk is None:
            return EMPTY
        return workflow.render_history(obj, self.status_labels)

    def get_view_on_site_url(self, obj=None):
        # One name for each: an unpublished item has "Xem trước", a published one
        # "Xem trên trang web" (Django's link, which would show both on a draft).
        if obj is not None and not obj.is_public:
            return None
        return super().get_view_on_site_url(obj)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and not obj.is_public and self.has_change_permission(request, obj):
            context["preview_url"] = obj.get_absolute_url()
        context["can_recover"] = self.can_publish(request)
        response = super().render_change_form(request, context, add, change, form_url, obj)
        response.add_post_render_callback(allow_import_map)
        return response

    def changelist_view(self, request, extra_context=None):
        post = request.POST
        if post.get("action") == "delete_selected" and post.get("post"):
            # Kept before the list's own revision opens: it would drop rows that are gone.
            selected = post.getlist(helpers.ACTION_CHECKBOX_NAME)
            for obj in self.get_queryset(request).filter(pk__in=selected):
                revisions.ensure_baseline(obj, request.user)
        extra_context = {"can_recover": self.can_publish(request), **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            revisions.ensure_baseline(self.get_object(request, unquote(object_id)))
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_model(self, request, obj):
        revisions.ensure_baseline(obj, request.user)
        super().delete_model(request, obj)

    def prepare_restored(self, request, restored, stored):
        """Adjust an item about to be restored (`stored` is its current state, or None)."""

    def record_move(self, request, obj, before, note=""):
        workflow.record(obj, before, self.workflow_state(obj), request.user, note)

    def _admin_url(self, view, *args):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)

    def _restore(self, request, version, stored):
        before = self.workflow_state(stored) if stored else None
        restored, note = revisions.restore(
            version, request.user, prepare=partial(self.prepare_restored, request)
        )
        self.record_move(request, restored, before, "khôi phục phiên bản cũ")
        message = f"Khôi phục phiên bản lưu lúc {revisions.when(version.revision.date_created)}."
        if stored is None:
            self.log_addition(request, restored, message)
        else:
            self.log_change(request, restored, message)
        self.message_user(request, f"Đã khôi phục “{restored}”: {message}", messages.SUCCESS)
        if note:
            self.message_user(request, note, messages.WARNING)
        return HttpResponseRedirect(self._admin_url("change", quote(restored.pk)))

    def revision_view(self, request, object_id, version_id, extra_context=None):
        """One revision: what differs from the item now, and a button that restores it."""
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.model._meta, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_for_object(obj), pk=version_id)
        can_restore = self.has_change_permission(request, obj)
        if request.method == "POST":
            if not can_restore:
                raise PermissionDenied
            return self._restore(request, version, obj)
        changes = revisions.field_changes(self.model, version.field_dict, revisions.values_of(obj))
        return self._revision_response(
            request,
            version,
            obj,
            {
                "title": f"Phiên bản lưu lúc {revisions.when(version.revision.date_created)}",
                "changes": changes,
                "inline_changes": revisions.inline_changes(version, obj),
                "can_restore": can_restore,
                **(extra_context or {}),
            },
        )

    def recover_view(self, request, version_id, extra_context=None):
        """A deleted item as it was last kept, and a button that brings it back."""
        if not (self.has_add_permission(request) and self.can_publish(request)):
            raise PermissionDenied
        version = get_object_or_404(Version.objects.get_deleted(self.model), pk=version_id)
        if request.method == "POST":
            return self._restore(request, version, None)
        fields = [
            revisions.Change(
                str(f.verbose_name).capitalize(),
                "",
                revisions.display(f, version.field_dict[f.attname]),
            )
            for f in revisions.editable_fields(self.model)
            if f.attname in version.field_dict
        ]
        return self._revision_response(
            request,
            version,
            None,
            {
                "title": f"Khôi phục “{version.object_repr}” đã xóa",
                "recover": True,
                "fields": fields,
                "can_restore": True,
                **(extra_context or {}),
            },
        )

    def recoverlist_view(self, request, extra_context=None):
        if not self.can_publish(request):
            raise PermissionDenied
        return super().recoverlist_view(request, extra_context)

    def _revision_response(self, request, version, obj, context):
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "version": version,
            "revision": version.revision,
            "saved_by": revisions.user_name(version.revision.user),
            "saved_at": revisions.when(version.revision.date_created),
            **context,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, "admin/lechan/revision.html", context)


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


@admin.register(Redirect)
class RedirectAdmin(BoundedInputMixin, admin.ModelAdmin):
    """Old addresses: editors may add and correct them; only administrators delete one for good."""

    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]
    readonly_fields = ["created_at"]


# Django names its permissions "Can add …" in the database, in English whatever the language.
PERMISSION_ACTIONS = {"add": "Thêm", "change": "Sửa", "delete": "Xóa", "view": "Xem"}


def permission_label(permission):
    """Django's "articles | bài viết | Can view bài viết" as "Tin bài | Xem bài viết"."""
    content_type = permission.content_type
    action, _, model_name = permission.codename.partition("_")
    name = permission.name
    if action in PERMISSION_ACTIONS and model_name == content_type.model:
        model = content_type.model_class()
        name = f"{PERMISSION_ACTIONS[action]} {model._meta.verbose_name if model else model_name}"
    try:
        app = apps.get_app_config(content_type.app_label).verbose_name
    except LookupError:  # an app since removed
        app = content_type.app_label
    return f"{app} | {name}"


class PermissionLabels:
    """The permissions box of the user and group forms, in Vietnamese."""

    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            field.label_from_instance = permission_label
        return field


admin.site.unregister(User)
admin.site.unregister(Group)


@admin.register(User)
class LechanUserAdmin(BoundedInputMixin, PermissionLabels, UserAdmin):
    pass


@admin.register(Group)
class LechanGroupAdmin(BoundedInputMixin, PermissionLabels, GroupAdmin):
    pass

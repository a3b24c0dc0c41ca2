"""The editorial admin of an app's main model (article, project).

`EditorialAdmin` gives editors revision history with a field-by-field diff and one-click
restore, recovery of deleted items, protection against two people saving over each other
(optimistic locking on `version`), a "Xem trước" link, and the item's workflow history.
"""

from functools import partial

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.exceptions import NotRegistered
from django.contrib.admin.utils import quote, unquote
from django.contrib.contenttypes import views as contenttype_views
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from reversion.admin import VersionAdmin
from reversion.models import Version

from lechan.admin.forms import VersionedForm
from lechan.admin.mixins import ReadableOnlyMixin
from lechan.editorial import revisions, workflow
from lechan.editorial.revisions import EMPTY
from lechan.models import StatusChange


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

    def can_publish(self, request):
        return request.user.has_perm(self.model.publish_permission)

    def readable(self, request, queryset):
        return queryset.visible_to(request.user)

    def has_publish_permission(self, request):
        """Gates the list actions declared with permissions=["publish"]."""
        return self.can_publish(request)

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
        return workflow.render_history(obj)

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
        # Its Content-Security-Policy, which allows the editor's import map by its hash, is
        # the admin's policy of lechan/middleware.py.
        return super().render_change_form(request, context, add, change, form_url, obj)

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

    def save_model(self, request, obj, form, change):
        # Through the item's workflow, which checks a change of state and records it.
        obj.move_to(obj.workflow_state, request.user)

    def may_move(self, request, obj):
        """Whether a list action may move `obj` for the user, besides the workflow's own rule:
        by default, when the user may change it."""
        return obj.is_editable_by(request.user)

    def move_selected(self, request, queryset, state, message):
        """A list action: move each selected item the user may move to `state` (one by one, so
        that each save fills what goes with the state, signals fire and the history records
        it); the others are left as they are. Returns how many moved."""
        movable = [
            obj
            for obj in queryset
            if obj.workflow_state != state
            and self.may_move(request, obj)
            and state in obj.next_states(request.user, obj.workflow_state)
        ]
        with transaction.atomic():
            for obj in movable:
                obj.move_to(state, request.user)
                self.log_change(request, obj, message)
        return len(movable)

    def _admin_url(self, view, *args):
        opts = self.model._meta
        return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)

    def _restore(self, request, version, stored):
        before = stored.workflow_state if stored else None
        restored, note = revisions.restore(
            version, request.user, prepare=partial(self.prepare_restored, request)
        )
        # Any earlier state may come back, outside the workflow's moves: recorded as it is.
        after = restored.workflow_state
        StatusChange.objects.record(restored, before, after, request.user, "khôi phục phiên bản cũ")
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
            return self.not_found(request, object_id)
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

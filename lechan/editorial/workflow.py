"""Who moved an item through the editorial workflow, from which state to which, and when.

Apps record the moves (the admin form, the list actions, a restore); the admin shows them
read-only on the item's page. States are stored as codes; the app's admin gives the labels.
"""

from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.utils import formats, timezone

from lechan.models import StatusChange


def record(obj, from_status, to_status, user, note=""):
    if from_status == to_status:
        return None
    return StatusChange.objects.create(
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        from_status=from_status or "",
        to_status=to_status,
        user=user if user is not None and user.is_authenticated else None,
        note=note,
    )


def changes_for(obj):
    return StatusChange.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("user")


def schedule_note(published_at):
    """ "hẹn giờ 16:00 20/10/2026" for a future publication time, else ""."""
    if published_at and published_at > timezone.now():
        return "hẹn giờ " + formats.date_format(timezone.localtime(published_at), "H:i d/m/Y")
    return ""


def render_history(obj, labels):
    """The moves of `obj` as a small table for the admin's read-only field."""
    rows = [
        {
            "at": change.at,
            "user": change.user,
            "from": labels.get(change.from_status, change.from_status) or "Tạo mới",
            "to": labels.get(change.to_status, change.to_status),
            "note": change.note,
        }
        for change in changes_for(obj)
    ]
    return render_to_string("admin/lechan/status_history.html", {"rows": rows})

"""Who moved an item through the editorial workflow, from which state to which, and when.

Items record their moves through `PublicItem.move_to` (the admin form, the list actions); a
restore, which may put back any earlier state, records its move directly. The admin shows
them read-only on the item's page. States are stored as codes; the item's `state_label` reads them.
"""

from django.template.loader import render_to_string
from django.utils import formats, timezone

from lechan.models import StatusChange


def schedule_note(published_at):
    """ "hẹn giờ 16:00 20/10/2026" for a future publication time, else ""."""
    if published_at and published_at > timezone.now():
        return "hẹn giờ " + formats.date_format(timezone.localtime(published_at), "H:i d/m/Y")
    return ""


def render_history(obj):
    """The moves of `obj` as a small table for the admin's read-only field."""
    rows = [
        {
            "at": change.at,
            "user": change.user,
            "from": obj.state_label(change.from_status or None),
            "to": obj.state_label(change.to_status),
            "note": change.note,
        }
        for change in StatusChange.objects.of(obj)
    ]
    return render_to_string("admin/lechan/status_history.html", {"rows": rows})

"""Helpers for the editorial tests: users in each role, admin forms filled as a browser would."""

from html.parser import HTMLParser

from django.contrib.auth.models import Group
from django.urls import reverse

REPORTER, EDITOR, ADMINISTRATOR = "Phóng viên", "Biên tập viên", "Quản trị"
ROLES = (REPORTER, EDITOR, ADMINISTRATOR)


def user_in_role(django_user_model, role, username=None):
    """A staff account in one of the groups the roles migration created."""
    user = django_user_model.objects.create_user(
        username or f"user-{ROLES.index(role)}", password="x-pass-1", is_staff=True
    )
    user.groups.add(Group.objects.get(name=role))
    return user


def client_for(client_class, user):
    client = client_class()
    client.force_login(user)
    return client


def admin_url(obj_or_model, view, *args):
    opts = obj_or_model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=args)


class _FormParser(HTMLParser):
    """The fields of the form with id `form_id` and their values, as a browser would send them."""

    def __init__(self, form_id):
        super().__init__(convert_charrefs=True)
        self.form_id, self.inside = form_id, False
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.inside = attrs.get("id") == self.form_id
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "file", "image", "reset"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
                return
            self.data.setdefault(name, []).append(attrs.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data


def form_data(response, form_id):
    """What submitting the admin form in `response` unchanged would post."""
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    data = {}
    for name, values in parser.data.items():
        if name.endswith("__prefix__") or "__prefix__" in name:
            continue
        # A textarea's content starts after the newline Django writes after the tag.
        values = [v[1:] if v.startswith("\n") else v for v in values]
        data[name] = values if len(values) != 1 else values[0]
    return data


def open_change_form(client, obj):
    """GET the admin change page of `obj`; returns (response, the form's data)."""
    response = client.get(admin_url(obj, "change", obj.pk))
    assert response.status_code == 200
    return response, form_data(response, f"{obj._meta.model_name}_form")


def save_change_form(client, obj, data, **changes):
    return client.post(admin_url(obj, "change", obj.pk), {**data, **changes})

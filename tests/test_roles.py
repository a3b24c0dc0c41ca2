"""The three roles the data migration creates, and what each may do in the admin."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, ArticleImage
from lechan.roles import ensure_roles
from projects.models import Project
from tests.editorial import (
    ADMINISTRATOR,
    EDITOR,
    REPORTER,
    ROLES,
    admin_url,
    client_for,
    form_data,
    open_change_form,
    save_change_form,
    user_in_role,
)

pytestmark = pytest.mark.django_db

DRAFT, REVIEW, PUBLISHED = Article.Status.DRAFT, Article.Status.REVIEW, Article.Status.PUBLISHED


def draft_by(author, **fields):
    fields.setdefault("status", DRAFT)
    return Article.objects.create(title=fields.pop("title", "Bản nháp"), author=author, **fields)


def published():
    return Article.objects.create(
        title="Bài đã đăng", status=PUBLISHED, published_at=timezone.now() - timedelta(hours=1)
    )


def edit(client, article, **changes):
    """Save the article's change form with `changes`; True when the admin accepted it."""
    response = client.get(admin_url(article, "change", article.pk))
    if response.status_code != 200 or "edit_version" not in response.content.decode():
        return False  # no page, or a read-only page
    _, data = open_change_form(client, article)
    return save_change_form(client, article, data, **changes).status_code == 302


def action(client, model, name, *objs):
    client.post(
        admin_url(model, "changelist"),
        {"action": name, "_selected_action": [obj.pk for obj in objs]},
    )


def add_article(client, user):
    return client.get(admin_url(Article, "add")).status_code == 200


def change_own_draft(client, user):
    article = draft_by(user)
    return edit(client, article, title="Đã sửa") and Article.objects.get().title == "Đã sửa"


def change_others_draft(client, user, django_user_model):
    other = user_in_role(django_user_model, REPORTER, "phongvien-khac")
    article = draft_by(other)
    return edit(client, article, title="Đã sửa") and Article.objects.get().title == "Đã sửa"


def change_published(client, user):
    article = published()
    return edit(client, article, title="Đã sửa") and Article.objects.get().title == "Đã sửa"


def submit_for_review(client, user):
    article = draft_by(user)
    edit(client, article, status=REVIEW)
    return Article.objects.get().status == REVIEW


def publish(client, user):
    article = draft_by(user)
    edit(client, article, status=PUBLISHED)
    return Article.objects.get().status == PUBLISHED


def schedule(client, user):
    article = draft_by(user)
    later = timezone.localtime() + timedelta(days=2)
    edit(
        client,
        article,
        status=PUBLISHED,
        published_at_0=later.strftime("%d/%m/%Y"),
        published_at_1=later.strftime("%H:%M:%S"),
    )
    article.refresh_from_db()
    return article.status == PUBLISHED and article.published_at > timezone.now()


def publish_by_action(client, user):
    article = draft_by(user, status=REVIEW)
    action(client, Article, "publish", article)
    return Article.objects.get().status == PUBLISHED


def set_publication_time(client, user):
    article = draft_by(user)
    later = timezone.localtime() + timedelta(days=2)
    edit(
        client,
        article,
        status=REVIEW,
        published_at_0=later.strftime("%d/%m/%Y"),
        published_at_1="10:00:00",
    )
    return Article.objects.get().published_at is not None


def feature(client, user):
    article = draft_by(user)
    edit(client, article, is_featured="on")
    return Article.objects.get().is_featured


def unpublish(client, user):
    article = published()
    action(client, Article, "unpublish", article)
    return Article.objects.get().status == Article.Status.UNPUBLISHED


def archive(client, user):
    article = draft_by(user)
    action(client, Article, "archive", article)
    return Article.objects.get().status == Article.Status.ARCHIVED


def delete_own_draft(client, user):
    article = draft_by(user)
    client.post(admin_url(article, "delete", article.pk), {"post": "yes"})
    return not Article.objects.exists()


def delete_published(client, user):
    article = published()
    client.post(admin_url(article, "delete", article.pk), {"post": "yes"})
    return not Article.objects.exists()


def change_project(client, user):
    project = Project.objects.create(name="Đường Hồ Sen")
    return edit(client, project, name="Đường Hồ Sen – Cầu Rào 2")


def publish_project(client, user):
    project = Project.objects.create(name="Khách sạn Nikko", is_published=False)
    action(client, Project, "publish", project)
    return Project.objects.get().is_published


def manage_users(client, user):
    return client.get(reverse("admin:auth_user_changelist")).status_code == 200


def recover_deleted(client, user):
    return client.get(admin_url(Article, "recoverlist")).status_code == 200


# What each role may do: (reporter, editor, administrator).
MATRIX = {
    add_article: (True, True, True),
    change_own_draft: (True, True, True),
    change_others_draft: (False, True, True),
    change_published: (False, True, True),
    submit_for_review: (True, True, True),
    publish: (False, True, True),
    publish_by_action: (False, True, True),
    schedule: (False, True, True),
    set_publication_time: (False, True, True),
    feature: (False, True, True),
    unpublish: (False, True, True),
    archive: (False, True, True),
    delete_own_draft: (True, True, True),
    delete_published: (False, True, True),
    change_project: (False, True, True),
    publish_project: (False, True, True),
    manage_users: (False, False, True),
    recover_deleted: (False, True, True),
}
CASES = [
    pytest.param(role, act, allowed[i], id=f"{act.__name__}-{role}")
    for act, allowed in MATRIX.items()
    for i, role in enumerate(ROLES)
]


@pytest.mark.parametrize(("role", "act", "allowed"), CASES)
def test_permission_matrix(django_user_model, role, act, allowed):
    user = user_in_role(django_user_model, role)
    client = client_for(Client, user)
    kwargs = {"django_user_model": django_user_model} if act is change_others_draft else {}
    assert act(client, user, **kwargs) is allowed


def test_roles_exist_with_explicit_permissions():
    reporter = set(Group.objects.get(name=REPORTER).permissions.values_list("codename", flat=True))
    editor = set(Group.objects.get(name=EDITOR).permissions.values_list("codename", flat=True))
    assert {"add_article", "change_article"} <= reporter
    assert "publish_article" not in reporter and "publish_project" not in reporter
    assert {"publish_article", "publish_project", "delete_article"} <= editor
    assert "change_user" not in editor
    assert Group.objects.get(name=ADMINISTRATOR).permissions.filter(codename="change_user").exists()


def test_reporter_is_offered_only_draft_and_review(django_user_model):
    reporter = user_in_role(django_user_model, REPORTER)
    client = client_for(Client, reporter)
    response = client.get(admin_url(Article, "add"))
    choices = [value for value, _ in response.context["adminform"].form.fields["status"].choices]
    assert choices == [DRAFT, REVIEW]
    assert "published_at" not in response.context["adminform"].form.fields


def test_reporter_forcing_published_gets_a_vietnamese_refusal(django_user_model):
    reporter = user_in_role(django_user_model, REPORTER)
    client = client_for(Client, reporter)
    article = draft_by(reporter)
    _, data = open_change_form(client, article)
    response = save_change_form(client, article, data, status=PUBLISHED)
    assert response.status_code == 200
    assert Article.objects.get().status == DRAFT
    assert "Hãy chọn một lựa chọn hợp lệ" in response.content.decode()


def test_new_article_records_its_author(django_user_model):
    reporter = user_in_role(django_user_model, REPORTER)
    client = client_for(Client, reporter)
    response = client.get(admin_url(Article, "add"))
    data = form_data(response, "article_form")
    data.update(title="Tin phường Vĩnh Niệm", status=DRAFT)
    assert client.post(admin_url(Article, "add"), data).status_code == 302
    assert Article.objects.get().author == reporter


def test_reporter_cannot_edit_photos_of_someone_elses_article(django_user_model):
    reporter = user_in_role(django_user_model, REPORTER)
    client = client_for(Client, reporter)
    image = ArticleImage.objects.create(article=published(), caption="Quang cảnh")
    response = client.get(admin_url(image, "change", image.pk))
    assert response.status_code == 200
    assert 'name="caption"' not in response.content.decode()  # read-only page


def test_reporter_list_offers_no_bulk_delete_or_publish(django_user_model):
    reporter = user_in_role(django_user_model, REPORTER)
    client = client_for(Client, reporter)
    draft_by(reporter)
    response = client.get(admin_url(Article, "changelist"))
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "submit_for_review" in actions
    assert not {"delete_selected", "publish", "unpublish", "archive"} & set(actions)


def test_missing_roles_come_back_after_migrate_and_kept_ones_are_left_alone():
    reporter = Group.objects.get(name=REPORTER)
    reporter.permissions.clear()  # an administrator's choice
    Group.objects.filter(name__in=[EDITOR, ADMINISTRATOR]).delete()  # as a test flush does
    ensure_roles()  # connected to post_migrate
    assert set(Group.objects.values_list("name", flat=True)) == set(ROLES)
    assert not reporter.permissions.exists()
    editor = Group.objects.get(name=EDITOR)
    assert editor.permissions.filter(codename="publish_article").exists()

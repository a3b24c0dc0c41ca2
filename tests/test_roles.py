"""The three roles the data migration creates, and what each may do in the admin."""

from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from reversion import create_revision, set_comment
from reversion.models import Version

from articles.models import Article, ArticleImage, KeyFigure
from lechan.editorial.roles import ensure_roles, grant_app
from projects.models import Project, ProjectImage, ProjectMilestone
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


def test_a_content_app_added_later_gives_the_existing_roles_its_permissions():
    """What a new app's data migration does (roles.grant_app): the groups made before the
    app was there get what each role is given in it, and keep the rest as it was."""
    groups = Group.objects.filter(name__in=ROLES)
    before = {group.name: set(group.permissions.all()) for group in groups}
    for group in groups:  # as if the projects app had come after the roles were made
        group.permissions.remove(*group.permissions.filter(content_type__app_label="projects"))
    Group.objects.get(name=EDITOR).permissions.remove(
        *Group.objects.get(name=EDITOR).permissions.filter(codename="view_redirect")
    )  # an administrator's choice, outside the app
    grant_app(django_apps, "projects")
    after = {group.name: set(group.permissions.all()) for group in groups}
    assert {name: len(found) for name, found in after.items()} == {
        name: len(found) - (name == EDITOR) for name, found in before.items()
    }
    assert after[REPORTER] == before[REPORTER]
    assert after[ADMINISTRATOR] == before[ADMINISTRATOR]


# Who reads unpublished work: a reporter reads published items and own work, nothing else.


@pytest.fixture
def newsroom(django_user_model):
    """A reporter, another reporter's draft, an editor's scheduled article, a hidden project.

    Each hidden item has a key figure, a photo (or milestone) and a saved revision.
    """
    reporter = user_in_role(django_user_model, REPORTER, "phongvien")
    other = user_in_role(django_user_model, REPORTER, "phongvien-khac")
    editor = user_in_role(django_user_model, EDITOR, "bientapvien")
    later = timezone.now() + timedelta(days=2)
    with create_revision():
        set_comment("Bản lưu bí mật")
        hidden = {
            "others_draft": draft_by(other, title="Nháp mật của phóng viên khác"),
            "scheduled": Article.objects.create(
                title="Bài hẹn giờ của biên tập",
                status=PUBLISHED,
                published_at=later,
                author=editor,
            ),
            "project": Project.objects.create(name="Dự án chưa công bố", is_published=False),
        }
        shown = {
            "own_draft": draft_by(reporter, title="Nháp của chính mình"),
            "own_scheduled": Article.objects.create(
                title="Bài của mình được hẹn giờ",
                status=PUBLISHED,
                published_at=later,
                author=reporter,
            ),
            "published": Article.objects.create(
                title="Bài đã đăng công khai",
                status=PUBLISHED,
                published_at=timezone.now() - timedelta(hours=1),
                author=editor,
            ),
            "project": Project.objects.create(name="Dự án công khai"),
        }
    for item in [*hidden.values(), *shown.values()]:
        if isinstance(item, Article):
            item.key_figures.create(label=f"Số liệu của {item.title}", value=1)
            item.images.create(caption=f"Ảnh của {item.title}")
        else:
            item.milestones.create(status=Project.Status.PLANNED, note=f"Mốc của {item.name}")
            item.images.create(caption=f"Ảnh của {item.name}")
    return {"reporter": reporter, "editor": editor, "hidden": hidden, "shown": shown}


def _article_parts(article):
    return [article.key_figures.get(), article.images.get()]


def _project_parts(project):
    return [project.milestones.get(), project.images.get()]


def _parts(item):
    return _article_parts(item) if isinstance(item, Article) else _project_parts(item)


def _item_pages(obj):
    """The admin pages of one item: its form, its history, one of its revisions."""
    pages = [admin_url(obj, "change", obj.pk), admin_url(obj, "history", obj.pk)]
    version = Version.objects.get_for_object(obj).first()
    if version is not None:
        pages.append(admin_url(obj, "revision", obj.pk, version.pk))
    return pages


def _text(item):
    return str(item.title if isinstance(item, Article) else item.name)


@pytest.mark.parametrize("name", ["others_draft", "scheduled", "project"])
def test_reporter_opens_no_page_of_unpublished_work_of_others(newsroom, name):
    client = client_for(Client, newsroom["reporter"])
    item = newsroom["hidden"][name]
    for obj in [item, *_parts(item)]:
        for url in _item_pages(obj):
            response = client.get(url)
            assert response.status_code in (302, 403, 404), url
            assert _text(item) not in response.content.decode(), url


@pytest.mark.parametrize("name", ["others_draft", "scheduled", "project"])
def test_editor_opens_every_page_of_unpublished_work(newsroom, name):
    client = client_for(Client, newsroom["editor"])
    item = newsroom["hidden"][name]
    for obj in [item, *_parts(item)]:
        for url in _item_pages(obj):
            response = client.get(url)
            assert response.status_code == 200, url


@pytest.mark.parametrize("name", ["own_draft", "own_scheduled", "published", "project"])
def test_reporter_reads_own_work_and_everything_published(newsroom, name):
    client = client_for(Client, newsroom["reporter"])
    item = newsroom["shown"][name]
    for obj in [item, *_parts(item)]:
        for url in _item_pages(obj):
            response = client.get(url)
            assert response.status_code == 200, url
            assert _text(item) in response.content.decode(), url


@pytest.mark.parametrize("model", [Article, ArticleImage, KeyFigure, Project, ProjectImage])
def test_reporter_lists_only_published_and_own_work(newsroom, model):
    client = client_for(Client, newsroom["reporter"])
    page = client.get(admin_url(model, "changelist")).content.decode()
    for item in newsroom["hidden"].values():
        assert _text(item) not in page
    for item in newsroom["shown"].values():
        if model in (Article, Project) and type(item) is model:
            assert _text(item) in page


def test_reporter_lists_no_milestone_of_a_hidden_project(newsroom):
    client = client_for(Client, newsroom["reporter"])
    page = client.get(admin_url(ProjectMilestone, "changelist")).content.decode()
    assert "Dự án chưa công bố" not in page and "Dự án công khai" in page


def test_editor_lists_all_work(newsroom):
    client = client_for(Client, newsroom["editor"])
    page = client.get(admin_url(Article, "changelist")).content.decode()
    for item in [*newsroom["hidden"].values(), *newsroom["shown"].values()]:
        if isinstance(item, Article):
            assert _text(item) in page


@pytest.mark.parametrize(
    "model", [Article, ArticleImage, KeyFigure, Project, ProjectImage, ProjectMilestone]
)
def test_reporter_sees_no_deleted_items(newsroom, model):
    client = client_for(Client, newsroom["reporter"])
    assert client.get(admin_url(model, "recoverlist")).status_code == 403


@pytest.mark.parametrize(
    ("model_name", "field_name", "hidden", "shown"),
    [
        ("keyfigure", "article", "others_draft", "published"),
        ("keyfigure", "article", "scheduled", "own_scheduled"),
        ("articleimage", "article", "others_draft", "own_draft"),
        ("article", "projects", "project", "project"),
        ("keyfigure", "project", "project", "project"),
    ],
)
def test_reporter_autocomplete_offers_no_unpublished_work_of_others(
    newsroom, model_name, field_name, hidden, shown
):
    client = client_for(Client, newsroom["reporter"])
    response = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "articles", "model_name": model_name, "field_name": field_name, "term": ""},
    )
    assert response.status_code == 200
    offered = {result["text"] for result in response.json()["results"]}
    assert _text(newsroom["hidden"][hidden]) not in offered
    assert _text(newsroom["shown"][shown]) in offered


def test_reporter_previews_own_work_and_nothing_unpublished_of_others(newsroom):
    client = client_for(Client, newsroom["reporter"])
    for item in newsroom["hidden"].values():
        assert client.get(item.get_absolute_url()).status_code == 404
    for item in newsroom["shown"].values():
        assert client.get(item.get_absolute_url()).status_code == 200


def test_view_on_site_leads_a_reporter_only_to_what_they_may_read(newsroom):
    reporter = client_for(Client, newsroom["reporter"])
    editor = client_for(Client, newsroom["editor"])
    for group, expected in (("hidden", 404), ("shown", 302)):
        for item in newsroom[group].values():
            content_type = ContentType.objects.get_for_model(item)
            url = reverse("admin:view_on_site", args=[content_type.pk, item.pk])
            assert reporter.get(url).status_code == expected, item
            assert editor.get(url).status_code == 302


def test_view_on_site_of_an_id_no_column_holds_or_a_model_gone_is_a_404(newsroom):
    editor = client_for(Client, newsroom["editor"])
    article_type = ContentType.objects.get_for_model(next(iter(newsroom["shown"].values())))
    gone = ContentType.objects.create(app_label="articles", model="bygone")
    for content_type_id, object_id in ((article_type.pk, 10**30), (gone.pk, 1)):
        url = reverse("admin:view_on_site", args=[content_type_id, object_id])
        assert editor.get(url).status_code == 404


def test_user_form_refuses_a_date_no_column_holds(django_user_model):
    administrator = user_in_role(django_user_model, ADMINISTRATOR)
    client = client_for(Client, administrator)
    url = reverse("admin:auth_user_change", args=[administrator.pk])
    data = form_data(client.get(url), "user_form")
    data.update(date_joined_0="01/01/0001", date_joined_1="00:00:00")
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Ngày giờ phải nằm trong khoảng" in response.content.decode()

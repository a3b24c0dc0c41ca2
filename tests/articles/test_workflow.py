"""The editorial workflow: draft → in review → published, unpublished, archived; scheduling."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from lechan.editorial import workflow
from lechan.models import StatusChange
from tests.editorial import (
    EDITOR,
    REPORTER,
    admin_url,
    client_for,
    form_data,
    open_change_form,
    save_change_form,
    user_in_role,
)

pytestmark = pytest.mark.django_db

S = Article.Status
HAI_PHONG = ZoneInfo("Asia/Ho_Chi_Minh")
# Every move the workflow allows, with the role that makes it.
MOVES = [
    (S.DRAFT, S.REVIEW, REPORTER),
    (S.REVIEW, S.DRAFT, REPORTER),
    (S.DRAFT, S.PUBLISHED, EDITOR),
    (S.DRAFT, S.ARCHIVED, EDITOR),
    (S.REVIEW, S.PUBLISHED, EDITOR),
    (S.REVIEW, S.DRAFT, EDITOR),
    (S.REVIEW, S.ARCHIVED, EDITOR),
    (S.PUBLISHED, S.UNPUBLISHED, EDITOR),
    (S.PUBLISHED, S.DRAFT, EDITOR),
    (S.PUBLISHED, S.ARCHIVED, EDITOR),
    (S.UNPUBLISHED, S.PUBLISHED, EDITOR),
    (S.UNPUBLISHED, S.DRAFT, EDITOR),
    (S.UNPUBLISHED, S.ARCHIVED, EDITOR),
    (S.ARCHIVED, S.DRAFT, EDITOR),
    (S.ARCHIVED, S.UNPUBLISHED, EDITOR),
]


@pytest.fixture
def reporter(django_user_model):
    return user_in_role(django_user_model, REPORTER, "phongvien")


@pytest.fixture
def editor_user(django_user_model):
    return user_in_role(django_user_model, EDITOR, "bientapvien")


def article_in(status, author, **fields):
    published_at = timezone.now() - timedelta(hours=1) if status != S.DRAFT else None
    return Article.objects.create(
        title="Phường Vĩnh Niệm khánh thành nhà văn hoá",
        status=status,
        published_at=fields.pop("published_at", published_at),
        author=author,
        **fields,
    )


@pytest.mark.parametrize(("before", "after", "role"), MOVES, ids=lambda v: str(v))
def test_each_workflow_move_is_made_and_recorded(reporter, editor_user, before, after, role):
    user = reporter if role == REPORTER else editor_user
    article = article_in(before, reporter)
    client = client_for(Client, user)
    _, data = open_change_form(client, article)
    response = save_change_form(client, article, data, status=after)
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.status == after
    move = StatusChange.objects.get()
    assert (move.from_status, move.to_status, move.user) == (before, after, user)


@pytest.mark.parametrize(
    ("before", "after"),
    [(S.PUBLISHED, S.REVIEW), (S.ARCHIVED, S.PUBLISHED), (S.DRAFT, S.UNPUBLISHED)],
)
def test_moves_outside_the_workflow_are_refused(editor_user, before, after):
    article = article_in(before, editor_user)
    client = client_for(Client, editor_user)
    _, data = open_change_form(client, article)
    response = save_change_form(client, article, data, status=after)
    assert response.status_code == 200
    article.refresh_from_db()
    assert article.status == before
    assert not StatusChange.objects.exists()


def test_status_history_shows_who_moved_the_article_and_when(reporter, editor_user):
    article = article_in(S.DRAFT, reporter)
    moves = [
        (reporter, S.REVIEW, datetime(2026, 10, 20, 8, 15, tzinfo=HAI_PHONG)),
        (editor_user, S.PUBLISHED, datetime(2026, 10, 21, 16, 40, tzinfo=HAI_PHONG)),
    ]
    for user, status, moment in moves:
        with time_machine.travel(moment, tick=False):
            client = client_for(Client, user)
            _, data = open_change_form(client, article)
            save_change_form(client, article, data, status=status)
    client = client_for(Client, editor_user)
    content = client.get(admin_url(article, "change", article.pk)).content.decode()
    assert "Lịch sử trạng thái" in content
    for text in ("phongvien", "bientapvien", "Bản nháp", "Chờ duyệt", "Đã xuất bản"):
        assert text in content
    assert "08:15 20/10/2026" in content and "16:40 21/10/2026" in content


def test_project_shown_and_hidden_are_in_its_history(editor_user):
    from projects.models import Project

    project = Project.objects.create(name="Khu đô thị Vinhomes Imperia", slug="vinhomes")
    client = client_for(Client, editor_user)
    with time_machine.travel(datetime(2026, 10, 20, 9, 5, tzinfo=HAI_PHONG), tick=False):
        _, data = open_change_form(client, project)
        data.pop("is_published")
        assert save_change_form(client, project, data).status_code == 302
    with time_machine.travel(datetime(2026, 10, 22, 14, 30, tzinfo=HAI_PHONG), tick=False):
        client.post(
            admin_url(Project, "changelist"),
            {"action": "publish", "_selected_action": [project.pk]},
        )
    moves = [(m.from_status, m.to_status, m.user) for m in StatusChange.objects.order_by("at")]
    assert moves == [("published", "hidden", editor_user), ("hidden", "published", editor_user)]
    content = client.get(admin_url(project, "change", project.pk)).content.decode()
    assert "Lịch sử hiển thị" in content
    for text in ("bientapvien", "Ẩn", "Hiển thị công khai", "09:05 20/10/2026", "14:30 22/10/2026"):
        assert text in content


def test_new_article_records_its_first_state(reporter):
    client = client_for(Client, reporter)
    data = form_data(client.get(admin_url(Article, "add")), "article_form")
    client.post(admin_url(Article, "add"), {**data, "title": "Tin mới", "status": S.REVIEW})
    move = StatusChange.objects.get()
    assert (move.from_status, move.to_status, move.user) == ("", S.REVIEW, reporter)


def test_submit_for_review_action_moves_own_drafts_only(reporter, django_user_model):
    mine = article_in(S.DRAFT, reporter)
    other = article_in(S.DRAFT, user_in_role(django_user_model, REPORTER, "khac"))
    client = client_for(Client, reporter)
    response = client.post(
        admin_url(Article, "changelist"),
        {"action": "submit_for_review", "_selected_action": [mine.pk, other.pk]},
        follow=True,
    )
    assert "Đã gửi duyệt 1 bài viết." in response.content.decode()
    assert Article.objects.get(pk=mine.pk).status == S.REVIEW
    assert Article.objects.get(pk=other.pk).status == S.DRAFT


def test_publish_action_records_the_move(editor_user):
    article = article_in(S.REVIEW, editor_user)
    client = client_for(Client, editor_user)
    client.post(
        admin_url(Article, "changelist"), {"action": "publish", "_selected_action": [article.pk]}
    )
    move = StatusChange.objects.get()
    assert (move.from_status, move.to_status, move.user) == (S.REVIEW, S.PUBLISHED, editor_user)


def test_scheduled_article_goes_live_at_its_minute_with_no_cron(editor_user, client):
    at = timezone.now().replace(second=0, microsecond=0) + timedelta(days=1)
    article = article_in(S.REVIEW, editor_user)
    editor = client_for(Client, editor_user)
    _, data = open_change_form(editor, article)
    local = timezone.localtime(at)
    save_change_form(
        editor,
        article,
        data,
        status=S.PUBLISHED,
        published_at_0=local.strftime("%d/%m/%Y"),
        published_at_1=local.strftime("%H:%M:%S"),
    )
    article.refresh_from_db()
    assert article.published_at == at
    assert StatusChange.objects.get().note.startswith("hẹn giờ ")
    url = article.get_absolute_url()
    with time_machine.travel(at - timedelta(minutes=1), tick=False):
        assert client.get(url).status_code == 404
        assert article.title not in client.get(reverse("articles:list")).content.decode()
        assert not Article.objects.published().exists()
    with time_machine.travel(at, tick=False):
        assert client.get(url).status_code == 200
        assert article.title in client.get(reverse("articles:list")).content.decode()
        assert article.title in client.get(reverse("articles:feed")).content.decode()


def test_admin_list_marks_a_scheduled_article(editor_client, make_article):
    make_article(title="Bài hẹn giờ", published_at=timezone.now() + timedelta(days=3))
    content = editor_client.get(admin_url(Article, "changelist")).content.decode()
    assert "Hẹn giờ (" in content


def test_move_to_saves_the_article_and_records_the_move(reporter, editor_user):
    article = article_in(S.REVIEW, reporter)
    article.move_to(S.PUBLISHED, editor_user)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    assert article.published_at is not None
    move = StatusChange.objects.get()
    assert (move.from_status, move.to_status, move.user) == (S.REVIEW, S.PUBLISHED, editor_user)


def test_move_to_refuses_a_move_the_workflow_does_not_allow(editor_user):
    article = article_in(S.ARCHIVED, editor_user)
    with pytest.raises(PermissionDenied, match="từ “Lưu trữ” sang “Đã xuất bản”"):
        article.move_to(S.PUBLISHED, editor_user)
    article.refresh_from_db()
    assert article.status == S.ARCHIVED
    assert not StatusChange.objects.exists()


def test_move_to_refuses_a_reporter_the_right_to_publish(reporter):
    article = article_in(S.REVIEW, reporter)
    with pytest.raises(PermissionDenied):
        article.move_to(S.PUBLISHED, reporter)
    article.refresh_from_db()
    assert article.status == S.REVIEW


def test_move_to_the_stored_state_saves_and_records_nothing(reporter):
    article = article_in(S.DRAFT, reporter)
    article.title = "Tiêu đề mới"
    article.move_to(S.DRAFT, reporter)
    article.refresh_from_db()
    assert article.title == "Tiêu đề mới"
    assert not StatusChange.objects.exists()


def test_a_scheduled_publication_is_noted_in_the_history(editor_user):
    article = article_in(S.REVIEW, editor_user, published_at=timezone.now() + timedelta(days=1))
    article.move_to(S.PUBLISHED, editor_user)
    assert StatusChange.objects.get().note.startswith("hẹn giờ ")


def test_a_move_the_system_makes_follows_the_workflow_without_permissions(reporter):
    article = article_in(S.REVIEW, reporter)
    article.move_to(S.PUBLISHED, None)
    article.refresh_from_db()
    assert article.status == S.PUBLISHED
    move = StatusChange.objects.get()
    assert (move.from_status, move.to_status, move.user) == (S.REVIEW, S.PUBLISHED, None)
    archived = article_in(S.ARCHIVED, reporter)
    with pytest.raises(PermissionDenied, match="từ “Lưu trữ” sang “Đã xuất bản”"):
        archived.move_to(S.PUBLISHED, None)


def test_the_form_refuses_a_move_in_the_words_of_move_to(reporter):
    article = article_in(S.REVIEW, reporter)
    request = RequestFactory().get("/")
    request.user = reporter
    form = admin.site.get_model_admin(Article).get_form(request, article)(instance=article)
    form.cleaned_data = {"status": S.PUBLISHED}
    with pytest.raises(ValidationError) as refused:
        form.clean_status()
    assert refused.value.messages == [article.refusal(S.REVIEW, S.PUBLISHED, reporter)]
    assert refused.value.messages == [
        "Bạn không được chuyển bài viết từ “Chờ duyệt” sang “Đã xuất bản”."
    ]


def test_the_history_reads_states_by_the_items_own_labels(reporter, editor_user):
    article = Article(title="Phường Dư Hàng Kênh họp dân", author=reporter)
    article.move_to(S.DRAFT, reporter)
    article.move_to(S.REVIEW, reporter)
    table = workflow.render_history(article)
    assert table.count("Tạo mới") == 1
    assert S.DRAFT.label in table and S.REVIEW.label in table

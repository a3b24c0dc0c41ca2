"""Preview: who may edit an item sees it unpublished on its real address; everyone else, 404."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from articles.models import Article
from projects.models import Project
from tests.editorial import EDITOR, REPORTER, admin_url, client_for, user_in_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def reporter(django_user_model):
    return user_in_role(django_user_model, REPORTER, "phongvien")


def draft(author=None, title="Bản nháp về ngõ phố"):
    return Article.objects.create(title=title, status=Article.Status.DRAFT, author=author)


def assert_preview(response):
    assert response.status_code == 200
    assert "Bản nháp" in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    assert "private" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_reporter_previews_own_draft(reporter):
    assert_preview(client_for(Client, reporter).get(draft(reporter).get_absolute_url()))


def test_reporter_gets_404_for_someone_elses_draft(reporter, django_user_model):
    other = user_in_role(django_user_model, REPORTER, "khac")
    response = client_for(Client, reporter).get(draft(other).get_absolute_url())
    assert response.status_code == 404


def test_editor_previews_any_draft(reporter, django_user_model):
    editor = user_in_role(django_user_model, EDITOR, "bientapvien")
    assert_preview(client_for(Client, editor).get(draft(reporter).get_absolute_url()))


def test_reader_gets_404_for_a_draft(client):
    assert client.get(draft().get_absolute_url()).status_code == 404


def test_published_article_page_has_no_banner(client, make_article):
    response = client.get(make_article().get_absolute_url())
    assert "preview-banner" not in response.content.decode()


def test_hidden_project_previews_for_editor_and_is_404_for_reporter(reporter, django_user_model):
    project = Project.objects.create(name="Chung cư Minato", is_published=False)
    editor = user_in_role(django_user_model, EDITOR, "bientapvien")
    assert_preview(client_for(Client, editor).get(project.get_absolute_url()))
    assert client_for(Client, reporter).get(project.get_absolute_url()).status_code == 404


def test_admin_change_form_links_to_the_preview(reporter):
    article = draft(reporter)
    client = client_for(Client, reporter)
    content = client.get(admin_url(article, "change", article.pk)).content.decode()
    match = re.search(r'<a href="([^"]+)"[^>]*>Xem trước</a>', content)
    assert match, "no “Xem trước” link"
    assert match.group(1) == article.get_absolute_url()
    assert_preview(client.get(match.group(1)))


def test_scheduled_article_previews_for_editor_with_its_time_and_is_404_for_readers(
    client, django_user_model
):
    hai_phong = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime(2026, 10, 19, 9, 0, tzinfo=hai_phong)):
        article = Article.objects.create(
            title="Khánh thành cầu Rào 2",
            status=Article.Status.PUBLISHED,
            published_at=datetime(2026, 10, 20, 16, 0, tzinfo=hai_phong),
        )
        editor = user_in_role(django_user_model, EDITOR, "bientapvien")
        response = client_for(Client, editor).get(article.get_absolute_url())
        assert_preview(response)
        assert "hẹn Thứ Ba, 20/10/2026 16:00" in response.content.decode()
        assert client.get(article.get_absolute_url()).status_code == 404

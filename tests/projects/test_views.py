from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import KeyFigure
from lechan.cache import content_version
from projects.models import Project, ProjectMilestone, Ward

pytestmark = pytest.mark.django_db


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_project_page_shows_facts_formatted_and_unknowns_as_such(client, make_project):
    project = make_project(
        name="Khu đô thị thử",
        kind=Project.Kind.URBAN_AREA,
        area_ha=Decimal("91.95"),
        investment_vnd=Decimal("40843000000000"),
    )
    page = client.get(project.get_absolute_url()).content.decode()
    assert "<h1>Khu đô thị thử</h1>" in page
    assert "91,95 ha" in page
    assert "40.843 tỷ đồng" in page
    assert "Chưa rõ" in page  # investor, ward… not stated


def test_project_page_lists_milestones_and_published_articles(client, make_project, make_article):
    project = make_project(status=Project.Status.COMPLETED)
    ProjectMilestone.objects.create(
        project=project, status=Project.Status.STALLED, note="Vướng mắc trong 26 năm", order=1
    )
    article = make_article(title="Bài nhắc dự án")
    article.projects.add(project)
    draft = make_article(title="Bài nháp nhắc dự án", status="draft")
    draft.projects.add(project)
    page = client.get(project.get_absolute_url()).content.decode()
    assert "Vướng mắc trong 26 năm" in page
    assert "Bài nhắc dự án" in page
    assert "Bài nháp nhắc dự án" not in page


def test_project_page_shows_only_the_figures_of_published_articles(
    client, editor, make_project, make_article
):
    project = make_project()
    stated = {
        "Số của bài đã đăng": make_article(),
        "Số của bản nháp": make_article(status="draft"),
        "Số của bài hẹn giờ": make_article(published_at=timezone.now() + timedelta(days=1)),
    }
    for label, article in stated.items():
        KeyFigure.objects.create(article=article, project=project, label=label, value="7")
    for reader in (None, editor):  # the public, then whoever may preview the drafts
        if reader:
            client.force_login(reader)
        page = client.get(project.get_absolute_url()).content.decode()
        assert "Số của bài đã đăng" in page
        assert "Số của bản nháp" not in page
        assert "Số của bài hẹn giờ" not in page


def test_hidden_project_is_404_for_the_public_and_visible_to_staff(client, editor, make_project):
    project = make_project(is_published=False)
    assert client.get(project.get_absolute_url()).status_code == 404
    client.force_login(editor)
    response = client.get(project.get_absolute_url())
    assert response.status_code == 200
    assert "Bản nháp" in response.content.decode()


def test_project_list_filters_by_kind_status_and_ward(client, make_project):
    ward = Ward.objects.create(name="Vĩnh Niệm")
    road = make_project(
        name="Đường A", kind=Project.Kind.ROAD, ward=ward, status=Project.Status.COMPLETED
    )
    make_project(name="Khách sạn B", kind=Project.Kind.HOTEL)
    url = reverse("projects:list")
    assert list(client.get(url, {"kind": "road"}).context["object_list"]) == [road]
    assert list(client.get(url, {"status": "completed"}).context["object_list"]) == [road]
    assert list(client.get(url, {"ward": ward.slug}).context["object_list"]) == [road]


def test_project_list_shows_the_form_error_for_an_unknown_choice(client, make_project):
    make_project()
    response = client.get(reverse("projects:list"), {"kind": "lau-dai"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_project_list_runs_the_same_queries_whatever_its_length(client, make_project):
    ward = Ward.objects.create(name="Dư Hàng Kênh")
    make_project(name="Dự án 0", ward=ward)
    content_version()  # looked up once per version, not once per page
    few = count_queries(client, reverse("projects:list"))
    for n in range(1, 15):
        make_project(name=f"Dự án {n}", ward=ward)
    assert count_queries(client, reverse("projects:list")) == few

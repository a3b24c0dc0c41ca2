import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from projects.models import Project, ProjectImage, ProjectMilestone, Ward

pytestmark = pytest.mark.django_db


def png(name="anh.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


MAKERS = {
    Ward: lambda make_project: Ward.objects.create(name="Vĩnh Niệm"),
    Project: lambda make_project: make_project(
        name="Đường thử nghiệm",
        status=Project.Status.COMPLETED,
        zone=Project.Zone.SOUTH,
        ward=Ward.objects.create(name="Dư Hàng Kênh"),
        funding=Project.Funding.STATE_BUDGET,
        investment_vnd=Decimal("1500000000000"),
        area_ha=Decimal("91.95"),
    ),
    ProjectImage: lambda make_project: ProjectImage.objects.create(
        project=make_project(), image=png(), caption="Tuyến đường mới"
    ),
    ProjectMilestone: lambda make_project: ProjectMilestone.objects.create(
        project=make_project(),
        date=date(2020, 10, 1),
        status=Project.Status.COMPLETED,
        note="Thông xe",
    ),
}
MODELS = pytest.mark.parametrize("model", list(MAKERS), ids=lambda model: model.__name__)


def admin_url(model, view, *args):
    return reverse(f"admin:projects_{model._meta.model_name}_{view}", args=args)


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(admin_url(Project, "changelist"))
    assert response.status_code == 200
    return len(queries)


@MODELS
def test_changelist_loads_for_staff(editor_client, make_project, media_root, model):
    MAKERS[model](make_project)
    response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@MODELS
def test_add_page_loads_for_staff(editor_client, model):
    response = editor_client.get(admin_url(model, "add"))
    assert response.status_code == 200


@MODELS
def test_change_page_loads_for_staff(editor_client, make_project, media_root, model):
    obj = MAKERS[model](make_project)
    response = editor_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


def test_project_change_page_previews_image_and_lists_milestones(
    editor_client, make_project, media_root
):
    project = make_project(name="Khách sạn Nikko")
    image = ProjectImage.objects.create(project=project, image=png(), alt_text="Phối cảnh")
    ProjectMilestone.objects.create(
        project=project, status=Project.Status.STALLED, note="Chậm triển khai 26 năm"
    )
    response = editor_client.get(admin_url(Project, "change", project.pk))
    content = response.content.decode()
    assert f'<img src="{image.image.url}" alt="Phối cảnh"' in content
    assert "Chậm triển khai 26 năm" in content


def test_unpublish_action_hides_projects(editor_client, make_project):
    shown = make_project(name="Aeon Mall Hải Phòng Lê Chân")
    response = editor_client.post(
        admin_url(Project, "changelist"),
        {"action": "unpublish", "_selected_action": [shown.pk]},
        follow=True,
    )
    assert "Đã ẩn 1 dự án." in response.content.decode()
    shown.refresh_from_db()
    assert shown.is_published is False
    assert not Project.objects.published().exists()


def test_publish_action_shows_projects(editor_client, make_project):
    hidden = [
        make_project(name="Vinhomes Marina", is_published=False),
        make_project(name="Chung cư Minato", is_published=False),
    ]
    response = editor_client.post(
        admin_url(Project, "changelist"),
        {"action": "publish", "_selected_action": [project.pk for project in hidden]},
        follow=True,
    )
    assert "Đã hiển thị công khai 2 dự án." in response.content.decode()
    assert Project.objects.published().count() == 2


def test_project_changelist_query_count_does_not_grow_with_rows(editor_client, make_project):
    def add_projects(start, stop):
        for n in range(start, stop):
            make_project(name=f"Dự án {n}", ward=Ward.objects.create(name=f"Phường {n}"))

    add_projects(0, 2)
    with_two = changelist_queries(editor_client)
    add_projects(2, 20)
    assert changelist_queries(editor_client) == with_two


def test_project_admin_search_finds_by_name_and_investor(editor_client, make_project):
    make_project(name="Làng Việt kiều quốc tế", investor="Công ty Thử nghiệm")
    make_project(name="Agape")
    for query in ("kiều", "Thử nghiệm"):
        response = editor_client.get(admin_url(Project, "changelist"), {"q": query})
        assert [str(project) for project in response.context["cl"].result_list] == [
            "Làng Việt kiều quốc tế"
        ]


def test_ward_autocomplete_answers_project_form(editor_client):
    Ward.objects.create(name="Vĩnh Niệm")
    Ward.objects.create(name="Dư Hàng")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "projects",
            "model_name": "project",
            "field_name": "ward",
            "term": "Niệm",
        },
    )
    assert [result["text"] for result in response.json()["results"]] == ["Vĩnh Niệm"]


def test_project_view_on_site_leads_to_its_public_page(editor_client, make_project):
    project = make_project(name="Khách sạn Nikko")
    content = editor_client.get(admin_url(Project, "change", project.pk)).content.decode()
    match = re.search(r'href="(/admin/r/\d+/\d+/)"', content)
    assert match, "no “Xem trên trang” link"
    response = editor_client.get(match.group(1))
    assert response.status_code == 302
    assert response["Location"].endswith(project.get_absolute_url())

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from lechan.models import StatusChange
from projects.models import Project, ProjectImage, ProjectMilestone, Ward
from tests.editorial import form_data

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


def test_the_actions_record_each_move_in_the_projects_history(editor, editor_client, make_project):
    shown = make_project(name="Aeon Mall Hải Phòng Lê Chân")
    editor_client.post(
        admin_url(Project, "changelist"), {"action": "unpublish", "_selected_action": [shown.pk]}
    )
    move = StatusChange.objects.get()
    assert (move.from_status, move.to_status, move.user) == ("published", "hidden", editor)


def test_move_to_refuses_to_show_a_project_without_the_right_to_publish(
    django_user_model, make_project
):
    hidden = make_project(name="Vinhomes Marina", is_published=False)
    user = django_user_model.objects.create_user("khach", password="x")
    with pytest.raises(PermissionDenied):
        hidden.move_to(Project.Visibility.SHOWN, user)
    hidden.refresh_from_db()
    assert hidden.is_published is False
    assert not StatusChange.objects.exists()


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


# Numbers as Vietnamese write them, within what their column holds.


def save_project(client, project=None, **fields):
    """Post the project form (add, or change of `project`) as a browser would, with `fields`."""
    url = admin_url(Project, "change", project.pk) if project else admin_url(Project, "add")
    data = form_data(client.get(url), "project_form")
    data.update(name=data.get("name") or "Đường Hồ Sen – Cầu Rào 2", **fields)
    return client.post(url, data)


def field_errors(response):
    return [str(error) for error in response.context["adminform"].form.errors.as_data().values()]


@pytest.mark.parametrize(
    ("field", "typed", "stored"),
    [
        ("area_ha", "3,2", Decimal("3.2")),
        ("area_ha", "91,95", Decimal("91.95")),
        ("area_ha", "1.500", Decimal("1500")),
        ("area_ha", "1.500,5", Decimal("1500.5")),
        ("households_relocated", "1.500", 1500),
        ("households_relocated", "1500", 1500),
        ("start_year", "2020", 2020),
        ("investment_vnd", "45", Decimal("45000000000")),
        ("investment_vnd", "40.843", Decimal("40843000000000")),
        ("investment_vnd", "2,5", Decimal("2500000000")),
        ("investment_vnd", "36.384,123456789", Decimal("36384123456789")),
    ],
)
def test_numbers_typed_the_vietnamese_way_are_stored_exactly(editor_client, field, typed, stored):
    assert save_project(editor_client, **{field: typed}).status_code == 302
    assert getattr(Project.objects.get(), field) == stored


def test_project_form_shows_numbers_the_vietnamese_way_and_saves_them_unchanged(
    editor_client, make_project
):
    project = make_project(
        investment_vnd=Decimal("40843000000000"),
        area_ha=Decimal("91.95"),
        households_relocated=1500,
        start_year=2016,
    )
    data = form_data(editor_client.get(admin_url(Project, "change", project.pk)), "project_form")
    assert data["investment_vnd"] == "40.843"
    assert data["area_ha"] == "91,95"
    assert data["households_relocated"] == "1.500"
    assert data["start_year"] == "2016"  # a year is not grouped
    assert editor_client.post(admin_url(Project, "change", project.pk), data).status_code == 302
    project.refresh_from_db()
    assert project.investment_vnd == Decimal("40843000000000")
    assert (project.area_ha, project.households_relocated) == (Decimal("91.95"), 1500)


def test_project_form_asks_for_investment_in_billions(editor_client):
    content = editor_client.get(admin_url(Project, "add")).content.decode()
    assert "Tổng mức đầu tư (tỷ đồng)" in content
    assert 'type="number"' not in content  # browsers drop the comma of "3,2" there


@pytest.mark.parametrize(
    ("field", "typed"),
    [
        ("area_ha", "3,2,1"),
        ("area_ha", "1.2.3,4,5"),
        ("area_ha", "abc"),
        ("area_ha", "3.2"),  # a dot groups thousands: "3,2" or "3.200"?
        ("households_relocated", "1,5"),
        ("investment_vnd", "12.34"),
        ("investment_vnd", "1e3"),
    ],
)
def test_a_number_that_cannot_be_read_is_refused_not_changed(editor_client, field, typed):
    response = save_project(editor_client, **{field: typed})
    assert response.status_code == 200
    assert not Project.objects.exists()
    content = response.content.decode()
    assert "Không đọc được số" in content or "số nguyên" in content
    assert f'value="{typed}"' in content  # what the editor typed stays in the box


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("households_relocated", str(10**30), "Số lớn nhất có thể lưu là 2.147.483.647"),
        ("households_relocated", "1e20", "Không đọc được số"),
        ("start_year", "1e20", "Không đọc được số"),
        ("start_year", "99.999", "Số lớn nhất có thể lưu là 32.767"),
        ("start_year", str(10**20), "Số lớn nhất có thể lưu là 32.767"),
        ("investment_vnd", "100.000.000.000", "Số lớn nhất có thể lưu là 99.999.999.999,999999999"),
        ("investment_vnd", str(10**40), "Số lớn nhất có thể lưu là"),
        ("investment_vnd", "2,0000000001", "tối đa 9"),
        ("area_ha", "100.000.000", "Số lớn nhất có thể lưu là 99.999.999,99"),
        ("area_ha", "3,215", "tối đa 2"),
        ("households_relocated", "-1", "Số nhỏ nhất có thể lưu là 0"),
    ],
)
def test_a_number_beyond_its_column_gets_a_vietnamese_error(editor_client, field, typed, message):
    response = save_project(editor_client, **{field: typed})
    assert response.status_code == 200
    assert not Project.objects.exists()
    assert message in " ".join(field_errors(response))


@pytest.mark.parametrize(
    "query",
    [
        {"ward": str(10**30)},
        {"ward__id__exact": str(10**30)},
        {"is_published__exact": "2"},
    ],
)
def test_project_list_with_a_filter_beyond_its_column_is_not_an_error(
    editor_client, make_project, query
):
    make_project()
    response = editor_client.get(admin_url(Project, "changelist"), query)
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("year", ["1", str(10**30), "99999"])
def test_milestone_list_with_a_year_beyond_the_calendar_is_not_an_error(
    editor_client, make_project, year
):
    ProjectMilestone.objects.create(
        project=make_project(), date=date(2020, 10, 1), status=Project.Status.COMPLETED
    )
    response = editor_client.get(admin_url(ProjectMilestone, "changelist"), {"date__year": year})
    assert response.status_code in (200, 302)


def test_project_list_shows_investment_in_billions(editor_client, make_project):
    make_project(investment_vnd=Decimal("40843000000000"), area_ha=Decimal("91.95"))
    content = editor_client.get(admin_url(Project, "changelist")).content.decode()
    assert "Tổng mức đầu tư (tỷ đồng)" in content
    assert re.search(r'<td class="field-investment">40\.843</td>', content)


def test_the_right_to_publish_alone_hides_projects_from_the_list(django_user_model, make_project):
    publisher = Group.objects.create(name="Hiển thị dự án")
    publisher.permissions.set(
        Permission.objects.filter(codename__in=["view_project", "publish_project"])
    )
    user = django_user_model.objects.create_user("hienthi", password="x", is_staff=True)
    user.groups.add(publisher)
    client = Client()
    client.force_login(user)
    shown = make_project(name="Aeon Mall Hải Phòng Lê Chân")
    response = client.post(
        admin_url(Project, "changelist"),
        {"action": "unpublish", "_selected_action": [shown.pk]},
        follow=True,
    )
    assert "Đã ẩn 1 dự án." in response.content.decode()
    shown.refresh_from_db()
    assert shown.is_published is False

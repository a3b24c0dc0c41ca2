from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import time_machine

from lechan.models import Photo, PublicItemQuerySet, SluggedModel
from projects.models import Project, ProjectImage, ProjectMilestone, ProjectQuerySet, Ward


def test_project_slug_is_derived_from_name_with_d_bar_as_d(make_project):
    assert make_project(name="Đường Hồ Sen – Cầu Rào 2").slug == "duong-ho-sen-cau-rao-2"


def test_project_slug_of_duplicate_names_gets_a_suffix(make_project):
    make_project(name="Khu đô thị Agape")
    assert make_project(name="Khu đô thị Agape").slug == "khu-do-thi-agape-2"


def test_project_slug_of_a_name_without_letters_is_the_kind_and_the_day(make_project):
    with time_machine.travel(datetime(2020, 10, 15, 9, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))):
        hotel = make_project(name="🏨🏨", kind=Project.Kind.HOTEL)
        again = make_project(name="🏨", kind=Project.Kind.HOTEL)
        unknown = make_project(name="–", kind="")
    assert [hotel.slug, again.slug, unknown.slug] == [
        "khach-san-15-10-2020",
        "khach-san-15-10-2020-2",
        "du-an-15-10-2020",
    ]


def test_project_slug_set_by_hand_is_kept(make_project):
    project = make_project(name="Chung cư Minato", slug="minato")
    project.name = "Chung cư hiện đại Minato"
    project.save()
    project.refresh_from_db()
    assert project.slug == "minato"


def test_editing_the_name_of_a_published_project_keeps_its_slug(client, make_project):
    project = make_project(name="Đường Hồ Sen")
    address = project.get_absolute_url()
    project.name = "Đường Hồ Sen – Cầu Rào 2 đã hoàn thành"
    project.save()
    project.refresh_from_db()
    assert project.slug == "duong-ho-sen"
    assert project.get_absolute_url() == address
    assert "Đường Hồ Sen – Cầu Rào 2 đã hoàn thành" in client.get(address).content.decode()


def test_ward_slug_is_derived_from_name(db):
    assert Ward.objects.create(name="Đông Hải").slug == "dong-hai"


def test_published_excludes_projects_hidden_from_the_public(make_project):
    shown = make_project(name="Khách sạn 5 sao Nikko")
    make_project(name="Dự án nội bộ", is_published=False)
    assert list(Project.objects.published()) == [shown]


def test_investment_billion_is_investment_in_ty_dong(make_project):
    project = make_project(investment_vnd=Decimal("36384000000000"))
    project.refresh_from_db()
    assert project.investment_billion == Decimal("36384")


def test_investment_billion_keeps_fractions_of_a_billion(make_project):
    project = make_project(investment_vnd=Decimal("2500000000"))
    assert project.investment_billion == Decimal("2.5")


def test_investment_billion_is_none_when_investment_unknown(make_project):
    assert make_project().investment_billion is None


def test_project_get_absolute_url_contains_the_slug(make_project):
    project = make_project(name="Đường Hồ Sen – Cầu Rào 2")
    url = project.get_absolute_url()
    assert url.startswith("/du-an/")
    assert "duong-ho-sen-cau-rao-2" in url


def test_milestone_str_shows_status_label_and_note(make_project):
    milestone = ProjectMilestone.objects.create(
        project=make_project(), status=Project.Status.STALLED, note="Vướng mắc 26 năm"
    )
    assert str(milestone) == "Chậm triển khai: Vướng mắc 26 năm"


def test_status_counts_count_projects_by_state(make_project):
    make_project(status=Project.Status.COMPLETED)
    make_project(status=Project.Status.COMPLETED)
    make_project(status=Project.Status.STALLED)
    counts = {row["status"]: row["n"] for row in Project.objects.status_counts()}
    assert counts == {Project.Status.COMPLETED: 2, Project.Status.STALLED: 1}


def test_a_project_photo_declares_again_only_its_folder():
    photo_fields = {field.name: field.creation_counter for field in Photo._meta.fields}
    redeclared = {
        field.name
        for field in ProjectImage._meta.fields
        if photo_fields.get(field.name, field.creation_counter) != field.creation_counter
    }
    assert redeclared == {"image"}
    assert ProjectImage._meta.get_field("image").upload_to == "projects/%Y/%m/"


def test_ward_takes_its_slug_from_slugged_model():
    slug = SluggedModel._meta.get_field("slug")
    assert Ward._meta.get_field("slug").creation_counter == slug.creation_counter


def test_who_may_read_a_project_is_decided_by_the_shared_queryset():
    assert ProjectQuerySet.visible_to is PublicItemQuerySet.visible_to


def test_hidden_projects_are_read_by_who_may_change_them(make_project, editor, django_user_model):
    shown = make_project(name="Khách sạn 5 sao Nikko")
    hidden = make_project(name="Dự án nội bộ", is_published=False)
    reader = django_user_model.objects.create_user("bandoc", password="x-pass-1")
    assert set(Project.objects.visible_to(editor)) == {shown, hidden}
    assert set(Project.objects.visible_to(reader)) == {shown}

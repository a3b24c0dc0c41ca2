"""Two people save the same item: the second save is refused, named and explained, never silent."""

import pytest
from django.test import Client

from articles.models import Article, ArticleImage, KeyFigure
from projects.models import Project, ProjectMilestone
from tests.editorial import (
    EDITOR,
    admin_url,
    client_for,
    form_data,
    open_change_form,
    save_change_form,
    user_in_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_editors(django_user_model):
    lan = user_in_role(django_user_model, EDITOR, "lan")
    lan.first_name, lan.last_name = "Lan", "Nguyễn Thị"
    lan.save()
    minh = user_in_role(django_user_model, EDITOR, "minh")
    return client_for(Client, lan), client_for(Client, minh)


@pytest.fixture
def article(make_article):
    article = make_article(title="Khánh thành đường Hồ Sen", lead="Sapo cũ.")
    ArticleImage.objects.create(article=article, caption="Lễ cắt băng", position=1)
    return article


def test_second_save_is_refused_naming_who_saved_and_what_changed(two_editors, article):
    lan, minh = two_editors
    _, lan_form = open_change_form(lan, article)
    _, minh_form = open_change_form(minh, article)
    assert save_change_form(lan, article, lan_form, title="Khánh thành tuyến Hồ Sen – Cầu Rào 2")
    response = save_change_form(minh, article, minh_form, lead="Sapo của Minh.")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chưa lưu: trong lúc bạn sửa, Lan Nguyễn Thị đã lưu bài viết này lúc" in content
    assert "<del>Khánh thành đường Hồ Sen</del>" in content
    assert "<ins>Khánh thành tuyến Hồ Sen – Cầu Rào 2</ins>" in content
    assert "Sapo của Minh." in content  # Minh's input is still in the form
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Khánh thành tuyến Hồ Sen – Cầu Rào 2", "Sapo cũ.")


def test_saving_again_after_seeing_the_conflict_is_a_knowing_choice(two_editors, article):
    lan, minh = two_editors
    _, lan_form = open_change_form(lan, article)
    _, minh_form = open_change_form(minh, article)
    save_change_form(lan, article, lan_form, title="Tiêu đề của Lan")
    refused = save_change_form(minh, article, minh_form, lead="Sapo của Minh.")
    assert refused.status_code == 200
    again = form_data(refused, "article_form")
    assert again["lead"] == "Sapo của Minh."
    assert save_change_form(minh, article, again).status_code == 302
    article.refresh_from_db()
    assert article.lead == "Sapo của Minh."


def test_a_change_to_a_photo_caption_is_shown_in_the_conflict(two_editors, article):
    lan, minh = two_editors
    _, lan_form = open_change_form(lan, article)
    _, minh_form = open_change_form(minh, article)
    save_change_form(lan, article, lan_form, **{"images-0-caption": "Cắt băng khánh thành"})
    content = save_change_form(minh, article, minh_form, title="Khác").content.decode()
    assert "Ảnh trong bài: Cắt băng khánh thành — <strong>sửa</strong>" in content
    assert ArticleImage.objects.get().caption == "Cắt băng khánh thành"


def test_a_publish_from_the_list_meanwhile_is_a_conflict_too(two_editors, article):
    lan, minh = two_editors
    article.status = Article.Status.REVIEW
    article.save()
    _, minh_form = open_change_form(minh, article)
    lan.post(
        admin_url(Article, "changelist"), {"action": "publish", "_selected_action": [article.pk]}
    )
    response = save_change_form(minh, article, minh_form, title="Sửa muộn")
    assert response.status_code == 200
    assert Article.objects.get().status == Article.Status.PUBLISHED


def test_one_editor_saving_twice_in_a_row_has_no_conflict(two_editors, article):
    lan, _ = two_editors
    for title in ("Lần một", "Lần hai"):
        _, form = open_change_form(lan, article)
        assert save_change_form(lan, article, form, title=title).status_code == 302
    article.refresh_from_db()
    assert article.title == "Lần hai"


def test_projects_are_protected_the_same_way(two_editors):
    lan, minh = two_editors
    project = Project.objects.create(name="Aeon Mall Hải Phòng Lê Chân")
    _, lan_form = open_change_form(lan, project)
    _, minh_form = open_change_form(minh, project)
    save_change_form(lan, project, lan_form, investor="Aeon Việt Nam")
    response = save_change_form(minh, project, minh_form, summary="Trung tâm thương mại lớn.")
    assert response.status_code == 200
    assert "đã lưu dự án này" in response.content.decode()
    assert Project.objects.get().summary == ""


def test_a_photo_changed_on_its_own_page_meanwhile_is_a_conflict(two_editors, article):
    lan, minh = two_editors
    _, minh_form = open_change_form(minh, article)
    photo = ArticleImage.objects.get()
    _, photo_form = open_change_form(lan, photo)
    assert (
        save_change_form(lan, photo, photo_form, caption="Cắt băng khánh thành").status_code == 302
    )
    response = save_change_form(minh, article, minh_form, title="Sửa muộn")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chưa lưu: trong lúc bạn sửa, Lan Nguyễn Thị đã lưu bài viết này lúc" in content
    assert "Ảnh trong bài: Cắt băng khánh thành — <strong>sửa</strong>" in content
    article.refresh_from_db()
    assert (article.title, ArticleImage.objects.get().caption) == (
        "Khánh thành đường Hồ Sen",
        "Cắt băng khánh thành",
    )


def test_a_key_figure_deleted_on_its_own_page_meanwhile_is_a_conflict(two_editors, article):
    lan, minh = two_editors
    figure = KeyFigure.objects.create(article=article, label="Chiều dài", value=2, unit="km")
    _, minh_form = open_change_form(minh, article)
    lan.post(admin_url(figure, "delete", figure.pk), {"post": "yes"})
    assert not KeyFigure.objects.exists()
    content = save_change_form(minh, article, minh_form, title="Sửa muộn").content.decode()
    assert "Chưa lưu: trong lúc bạn sửa, Lan Nguyễn Thị đã lưu bài viết này lúc" in content
    assert "Số liệu chính: Chiều dài: 2 km — <strong>bỏ</strong>" in content
    assert Article.objects.get().title == "Khánh thành đường Hồ Sen"


def test_a_milestone_changed_on_its_own_page_meanwhile_is_a_conflict(two_editors):
    lan, minh = two_editors
    project = Project.objects.create(name="Đường Hồ Sen – Cầu Rào 2")
    milestone = ProjectMilestone.objects.create(
        project=project, status=Project.Status.STALLED, note="Chậm 26 năm"
    )
    _, minh_form = open_change_form(minh, project)
    _, milestone_form = open_change_form(lan, milestone)
    save_change_form(lan, milestone, milestone_form, note="Chậm 27 năm")
    response = save_change_form(minh, project, minh_form, summary="Tuyến đường dài 2 km.")
    assert response.status_code == 200
    assert "đã lưu dự án này" in response.content.decode()
    assert ProjectMilestone.objects.get().note == "Chậm 27 năm"
    assert Project.objects.get().summary == ""


@pytest.mark.parametrize("sent", [None, "", "mười"])
def test_a_change_form_without_the_version_it_was_opened_at_is_refused(two_editors, article, sent):
    lan, minh = two_editors
    _, lan_form = open_change_form(lan, article)
    _, minh_form = open_change_form(minh, article)
    save_change_form(lan, article, lan_form, title="Tiêu đề của Lan")
    minh_form.pop("edit_version")
    if sent is not None:
        minh_form["edit_version"] = sent
    response = save_change_form(minh, article, minh_form, lead="Sapo của Minh.")
    assert response.status_code == 200
    content = response.content.decode()
    assert "Chưa lưu: trang sửa này không cho biết bạn mở bài viết từ phiên bản nào" in content
    assert "Sapo của Minh." in content  # the rest of the form is kept
    article.refresh_from_db()
    assert (article.title, article.lead) == ("Tiêu đề của Lan", "Sapo cũ.")


def test_adding_an_item_needs_no_version(two_editors):
    lan, _ = two_editors
    page = lan.get(admin_url(Article, "add"))
    data = {**form_data(page, "article_form"), "title": "Tin mới", "slug": ""}
    assert "edit_version" not in data
    assert lan.post(admin_url(Article, "add"), data).status_code == 302
    assert Article.objects.get().title == "Tin mới"

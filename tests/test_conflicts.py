"""Two people save the same item: the second save is refused, named and explained, never silent."""

import pytest
from django.test import Client

from articles.models import Article, ArticleImage
from projects.models import Project
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

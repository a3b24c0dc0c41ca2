"""A published item whose slug changes keeps its old address: 301 to the new one, forever."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lechan.models import Redirect
from tests.editorial import client_for, open_change_form, save_change_form

pytestmark = pytest.mark.django_db


def test_old_article_address_answers_301_after_slug_change(client, make_article):
    article = make_article(title="Đường Hồ Sen", slug="duong-ho-sen")
    old = article.get_absolute_url()
    article.slug = "duong-ho-sen-cau-rao-2"
    article.save()
    response = client.get(old)
    assert response.status_code == 301
    assert response["Location"] == article.get_absolute_url()
    assert client.get(response["Location"]).status_code == 200


def test_query_string_is_kept(client, make_article):
    article = make_article(slug="cu")
    article.slug = "moi"
    article.save()
    assert client.get("/tin-tuc/cu/?utm_source=zalo")["Location"] == "/tin-tuc/moi/?utm_source=zalo"


def test_every_earlier_address_leads_to_the_current_one(client, make_article):
    article = make_article(slug="mot")
    for slug in ("hai", "ba"):
        article.slug = slug
        article.save()
    for old in ("/tin-tuc/mot/", "/tin-tuc/hai/"):
        response = client.get(old)
        assert (response.status_code, response["Location"]) == (301, "/tin-tuc/ba/")


def test_moving_back_to_an_old_address_serves_it_again(client, make_article):
    article = make_article(slug="mot")
    article.slug = "hai"
    article.save()
    article.slug = "mot"
    article.save()
    assert client.get("/tin-tuc/mot/").status_code == 200
    assert client.get("/tin-tuc/hai/")["Location"] == "/tin-tuc/mot/"
    assert not Redirect.objects.filter(old_path="/tin-tuc/mot/").exists()


def test_draft_slug_change_leaves_no_redirect(make_article):
    from articles.models import Article

    article = make_article(slug="nhap", status=Article.Status.DRAFT, published_at=None)
    article.slug = "nhap-2"
    article.save()
    assert not Redirect.objects.exists()


def test_address_public_before_a_takedown_still_leads_to_the_republished_article(
    client, make_article
):
    from articles.models import Article

    article = make_article(slug="dau-tien")
    for change in ({"status": Article.Status.UNPUBLISHED}, {"slug": "thu-hai"}, {"slug": "thu-ba"}):
        for field, value in change.items():
            setattr(article, field, value)
        article.save()
    article.status = Article.Status.PUBLISHED
    article.save()
    response = client.get("/tin-tuc/dau-tien/")
    assert (response.status_code, response["Location"]) == (301, "/tin-tuc/thu-ba/")
    # "thu-hai" was never public: no address is kept for it.
    assert client.get("/tin-tuc/thu-hai/").status_code == 404
    assert not Redirect.objects.filter(old_path="/tin-tuc/thu-hai/").exists()


def test_address_public_before_a_takedown_still_leads_to_the_shown_project(client, make_project):
    project = make_project(slug="cong-vien")
    project.is_published = False
    project.save()
    project.slug = "cong-vien-an-bien"
    project.save()
    project.is_published = True
    project.save()
    response = client.get("/du-an/cong-vien/")
    assert (response.status_code, response["Location"]) == (301, "/du-an/cong-vien-an-bien/")


def test_draft_moved_back_to_its_public_address_serves_it_again(client, make_article):
    from articles.models import Article

    article = make_article(slug="mot")
    article.status = Article.Status.DRAFT
    article.save()
    article.slug = "hai"
    article.save()
    article.slug = "mot"
    article.status = Article.Status.PUBLISHED
    article.save()
    assert client.get("/tin-tuc/mot/").status_code == 200
    assert not Redirect.objects.exists()


def test_project_slug_change_redirects(client, make_project):
    project = make_project(name="Aeon Mall", slug="aeon-mall")
    project.slug = "aeon-mall-hai-phong-le-chan"
    project.save()
    response = client.get("/du-an/aeon-mall/")
    assert (response.status_code, response["Location"]) == (301, project.get_absolute_url())


def test_slug_changed_in_the_admin_redirects(client, editor, make_article):
    article = make_article(slug="ban-cu")
    editor_client = client_for(Client, editor)
    _, data = open_change_form(editor_client, article)
    assert save_change_form(editor_client, article, data, slug="ban-moi").status_code == 302
    assert client.get("/tin-tuc/ban-cu/")["Location"] == "/tin-tuc/ban-moi/"


def test_new_article_does_not_take_an_address_kept_for_a_moved_one(client, make_article):
    moved = make_article(title="Khai trương", slug="khai-truong")
    moved.slug = "khai-truong-aeon-mall"
    moved.save()
    newcomer = make_article(title="Khai trương", slug="")
    assert newcomer.slug != "khai-truong"
    assert client.get("/tin-tuc/khai-truong/")["Location"] == moved.get_absolute_url()


def test_unknown_address_is_still_404(client):
    assert client.get("/tin-tuc/khong-co/").status_code == 404


def test_admin_refuses_a_slug_kept_for_a_moved_article(editor, make_article):
    moved = make_article(title="Khai trương", slug="khai-truong")
    moved.slug = "khai-truong-aeon-mall"
    moved.save()
    other = make_article(title="Tin khác", slug="tin-khac")
    editor_client = client_for(Client, editor)
    _, data = open_change_form(editor_client, other)
    response = save_change_form(editor_client, other, data, slug="khai-truong")
    assert response.status_code == 200
    assert "địa chỉ cũ của một mục khác" in response.content.decode()
    _, data = open_change_form(editor_client, moved)
    response = save_change_form(editor_client, moved, data, slug="khai-truong")
    assert response.status_code == 302  # its own old address: moving back is fine


def test_a_taken_down_article_renamed_meanwhile_gives_its_new_address_away_to_no_one(
    client, make_article
):
    from articles.models import Article

    article = make_article(slug="bai-goc")
    article.status = Article.Status.UNPUBLISHED
    article.save()
    article.slug = "ten-moi-chua-cong-bo"
    article.save()
    assert client.get("/tin-tuc/bai-goc/").status_code == 404
    article.status = Article.Status.PUBLISHED
    article.save()
    assert client.get("/tin-tuc/bai-goc/")["Location"] == "/tin-tuc/ten-moi-chua-cong-bo/"


def test_a_scheduled_article_renamed_before_its_time_is_followed_once_it_is_live(
    client, make_article
):
    later = timezone.now() + timedelta(hours=2)
    article = make_article(slug="hen-gio", published_at=later)
    article.slug = "hen-gio-moi"
    article.save()
    assert client.get("/tin-tuc/hen-gio/").status_code == 404
    with time_machine.travel(later + timedelta(minutes=1)):
        assert client.get("/tin-tuc/hen-gio/")["Location"] == "/tin-tuc/hen-gio-moi/"


def test_a_redirect_to_a_page_that_is_no_item_is_followed(client):
    Redirect.objects.create(old_path="/chuyen-muc/kinh-te/", new_path="/tin-tuc/?category=kinh-te")
    assert client.get("/chuyen-muc/kinh-te/")["Location"] == "/tin-tuc/?category=kinh-te"


@pytest.mark.parametrize(
    "path", ["//evil.example/", "https://evil.example/", "/\\evil.example", "tin-tuc/ten/"]
)
def test_a_redirect_leads_only_to_a_path_on_this_site(editor_client, path):
    """Editors add and correct old addresses in the admin: never to another site."""
    response = editor_client.post(
        reverse("admin:lechan_redirect_add"), {"old_path": "/tin-tuc/cu/", "new_path": path}
    )
    assert response.status_code == 200  # the form again, with its error
    assert "bắt đầu bằng một dấu “/”" in response.content.decode()
    assert not Redirect.objects.exists()
    with pytest.raises(ValidationError):
        Redirect(old_path=path, new_path="/tin-tuc/").full_clean()


def test_record_move_leads_every_earlier_address_to_the_new_one():
    Redirect.objects.create(old_path="/a/", new_path="/b/")
    Redirect.objects.record_move("/b/", "/c/")
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {
        "/a/": "/c/",
        "/b/": "/c/",
    }


def test_record_move_back_to_an_old_address_makes_it_live_again():
    Redirect.objects.create(old_path="/a/", new_path="/b/")
    Redirect.objects.record_move("/b/", "/a/")
    assert dict(Redirect.objects.values_list("old_path", "new_path")) == {"/b/": "/a/"}


def test_lead_back_turns_only_the_given_addresses_that_led_to_the_taken_one():
    Redirect.objects.create(old_path="/a/", new_path="/taken/")
    Redirect.objects.create(old_path="/other/", new_path="/taken/")
    Redirect.objects.lead_back(["/a/"], "/taken/", "/back/")
    assert Redirect.objects.get(old_path="/a/").new_path == "/back/"
    assert Redirect.objects.get(old_path="/other/").new_path == "/taken/"


def test_an_old_address_is_reserved_except_for_the_item_it_leads_to():
    Redirect.objects.create(old_path="/a/", new_path="/b/")
    assert Redirect.objects.is_reserved("/a/")
    assert not Redirect.objects.is_reserved("/a/", except_for="/b/")
    assert not Redirect.objects.is_reserved("/free/")

import pytest
from django.core.management import call_command
from django.urls import reverse

from articles.models import Article

pytestmark = pytest.mark.django_db


def test_home_shows_the_latest_articles_and_projects(client, make_article, make_project):
    make_article(title="Tin mới trên trang chủ")
    make_article(title="Tin nháp", status=Article.Status.DRAFT)
    make_project(name="Chung cư Minato")
    page = client.get(reverse("home")).content.decode()
    assert "Tin mới trên trang chủ" in page
    assert "Tin nháp" not in page
    assert "Chung cư Minato" in page


def test_home_runs_the_same_queries_whatever_the_amount_of_content(
    client, make_article, make_project, django_assert_max_num_queries
):
    make_article()
    make_project()
    with django_assert_max_num_queries(8):
        client.get(reverse("home"))
    for n in range(12):
        make_article(title=f"Bài {n}", is_featured=True)
        make_project(name=f"Dự án {n}")
    with django_assert_max_num_queries(8):
        client.get(reverse("home"))


def test_search_finds_articles_and_projects(client, make_article, make_project):
    make_article(title="Khánh thành đường Hồ Sen")
    make_project(name="Đường Hồ Sen – Cầu Rào 2")
    response = client.get(reverse("search"), {"q": "ho sen"})
    page = response.content.decode()
    assert "Khánh thành đường <mark>Hồ Sen</mark>" in page
    assert "Đường <mark>Hồ Sen</mark> – Cầu Rào 2" in page


@pytest.mark.parametrize("q", ["", '"', "a" * 5000, "\x00", "' OR 1=1 --", "*:(){}"])
def test_search_answers_any_input_with_a_normal_page(client, q):
    assert client.get(reverse("search"), {"q": q}).status_code == 200


def test_sitemap_lists_published_articles_and_projects(client, make_article, make_project):
    article = make_article()
    draft = make_article(title="Nháp", status=Article.Status.DRAFT)
    project = make_project()
    body = client.get(reverse("sitemap")).content.decode()
    assert article.get_absolute_url() in body
    assert project.get_absolute_url() in body
    assert draft.get_absolute_url() not in body


def test_seed_article_is_served_as_the_source_writes_it(client):
    call_command("loaddata", "lechan", verbosity=0)
    article = Article.objects.get()
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Thứ Năm, 15/10/2020 10:51" in page
    assert "HỒNG THANH (GHI) – ẢNH: DUY THÍNH" in page
    assert "Đồng chí Lê Trung Kiên, Bí thư Quận ủy Lê Chân trình bày tham luận tại Đại hội." in page
    assert "<strong>40.843</strong> tỷ đồng" in page
    assert "Gốc: Cổng tin tức Thành phố Hải Phòng" in page
    assert "Lê Trung Kiên</a>, Bí thư Quận ủy Lê Chân" in page


@pytest.mark.parametrize(
    "page",
    ["home", "articles:list", "article", "projects:list", "project", "search", "figures"],
)
def test_public_pages_declare_vietnamese(client, make_article, make_project, page):
    addresses = {
        "article": lambda: make_article().get_absolute_url(),
        "project": lambda: make_project().get_absolute_url(),
        "search": lambda: reverse("search") + "?q=duong",
    }
    address = addresses.get(page, lambda: reverse(page))()
    response = client.get(address)
    assert response.status_code == 200
    assert '<html lang="vi">' in response.content.decode()


def test_unknown_path_gives_the_vietnamese_404_page(client):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404


def test_the_home_page_names_the_site_from_its_setting(client, settings):
    """The agency is configuration: a ward running the portal changes one setting."""
    settings.LECHAN_SITE_NAME = "Cổng thông tin phường Lê Chân"
    page = client.get(reverse("home")).content.decode()
    assert '<h1 class="visually-hidden">Cổng thông tin phường Lê Chân</h1>' in page
    assert "<title>Cổng thông tin phường Lê Chân</title>" in page

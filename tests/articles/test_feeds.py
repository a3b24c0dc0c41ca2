import re
from datetime import timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Category, Tag

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def party(db):
    return Category.objects.create(name="Xây dựng Đảng")


@pytest.fixture
def articles(make_article, party):
    tag = Tag.objects.create(name="Quận Lê Chân")
    in_category = make_article(title="Bài xây dựng Đảng", category=party, reporter="Hồng Thanh")
    in_category.tags.add(tag)
    make_article(title="Bài kinh tế", published_at=timezone.now() - timedelta(days=1))
    make_article(title="Bài nháp", category=party, status=Article.Status.DRAFT)
    make_article(title="Bài hẹn giờ", category=party, published_at=timezone.now() + timedelta(1))
    return in_category


def rss_titles(response):
    channel = ElementTree.fromstring(response.content).find("channel")  # noqa: S314 (our own feed)
    return channel, [item.findtext("title") for item in channel.iter("item")]


def test_feed_urls_are_the_vietnamese_paths(party):
    assert reverse("articles:feed") == "/tin-tuc/rss/"
    assert reverse("articles:feed", args=[party.slug]) == "/tin-tuc/rss/xay-dung-dang/"
    assert (
        reverse("articles:feed", kwargs={"category": party.slug}) == "/tin-tuc/rss/xay-dung-dang/"
    )
    assert reverse("articles:atom") == "/tin-tuc/atom/"
    assert reverse("articles:atom", args=[party.slug]) == "/tin-tuc/atom/xay-dung-dang/"


def test_rss_lists_the_latest_published_articles_newest_first(client, articles):
    response = client.get(reverse("articles:feed"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel, titles = rss_titles(response)
    assert titles == ["Bài xây dựng Đảng", "Bài kinh tế"]
    assert channel.findtext("language") == "vi"
    item = channel.find("item")
    assert item.findtext("link") == "http://testserver" + articles.get_absolute_url()
    assert item.findtext("description") == "Sapo của bài viết."
    assert {c.text for c in item.iter("category")} == {"Xây dựng Đảng", "Quận Lê Chân"}


def test_category_rss_lists_only_that_category(client, articles, party):
    channel, titles = rss_titles(client.get(reverse("articles:feed", args=[party.slug])))
    assert titles == ["Bài xây dựng Đảng"]
    assert channel.findtext("title") == "Cổng thông tin quận Lê Chân: Xây dựng Đảng"
    assert channel.findtext("link") == "http://testserver/tin-tuc/?category=xay-dung-dang"


def test_atom_feed_lists_the_same_articles(client, articles, party):
    response = client.get(reverse("articles:atom", args=[party.slug]))
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 (our own feed)
    assert [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")] == ["Bài xây dựng Đảng"]
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == "http://testserver/tin-tuc/atom/xay-dung-dang/"
    assert feed.find(f"{ATOM}entry/{ATOM}author/{ATOM}name").text == "Hồng Thanh"


def alternate_links(page):
    return re.findall(r'<link rel="alternate" type="([^"]+)" title="([^"]+)" href="([^"]+)">', page)


def test_category_list_links_its_own_feeds(client, articles, party):
    page = client.get(reverse("articles:list"), {"category": party.slug}).content.decode()
    own = [link for link in alternate_links(page) if "Xây dựng Đảng" in link[1]]
    assert own == [
        ("application/rss+xml", "Chuyên mục Xây dựng Đảng (RSS)", "/tin-tuc/rss/xay-dung-dang/"),
        ("application/atom+xml", "Chuyên mục Xây dựng Đảng (Atom)", "/tin-tuc/atom/xay-dung-dang/"),
    ]
    for _, _, href in own:
        assert client.get(href).status_code == 200


def test_lists_without_a_category_link_only_the_site_feeds(client, articles):
    for query in ({}, {"category": "khong-co"}):
        page = client.get(reverse("articles:list"), query).content.decode()
        assert [href for _, _, href in alternate_links(page)] == ["/tin-tuc/rss/", "/tin-tuc/atom/"]


def test_unknown_category_feed_is_404(client):
    assert client.get("/tin-tuc/rss/khong-co/").status_code == 404
    assert client.get("/tin-tuc/atom/khong-co/").status_code == 404


def test_feed_runs_the_same_queries_whatever_its_length(
    client, make_article, party, django_assert_num_queries
):
    make_article(category=party).tags.add(Tag.objects.create(name="Một"))
    with django_assert_num_queries(2):
        client.get(reverse("articles:feed"))
    for n in range(10):
        make_article(title=f"Bài {n}", category=party).tags.add(Tag.objects.create(name=f"T{n}"))
    with django_assert_num_queries(2):
        client.get(reverse("articles:feed"))


FEEDS = ["articles:feed", "articles:atom"]
TRICKY_TEXT = "<img src=x onerror=alert(1)> a < b & c > d &amp; “Lê Chân”"


class _Markup(HTMLParser):
    """The elements and the text of an HTML fragment."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.elements, self.text = [], ""
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append(tag)

    def handle_data(self, data):
        self.text += data


def as_read(detail):
    """What a feed reader shows of a text construct: its text, and the elements it renders."""
    if detail.type == "text/plain":
        return detail.value, []
    markup = _Markup(detail.value)
    return markup.text, markup.elements


def parsed(client, name):
    """The feed as a feed reader sees it (feedparser)."""
    response = client.get(reverse(name))
    assert response.status_code == 200
    return feedparser.parse(response.content)


@pytest.mark.parametrize("name", FEEDS)
def test_a_feed_carries_the_lead_as_text_whatever_it_contains(client, make_article, name):
    make_article(title="Bài có ký tự đặc biệt", lead=TRICKY_TEXT)
    feed = parsed(client, name)
    assert not feed.bozo, feed.bozo_exception
    [entry] = feed.entries
    assert as_read(entry.summary_detail) == (TRICKY_TEXT, [])


@pytest.mark.parametrize("name", FEEDS)
def test_a_feed_carries_titles_names_and_categories_as_text(client, make_article, name):
    tricky = "a < b & c > d “Lê Chân”"
    article = make_article(
        title=tricky, reporter=tricky, category=Category.objects.create(name=tricky)
    )
    article.tags.add(Tag.objects.create(name=tricky))
    [entry] = parsed(client, name).entries
    assert as_read(entry.title_detail) == (tricky, [])
    assert entry.author == tricky
    assert {tag.term for tag in entry.tags} == {tricky}

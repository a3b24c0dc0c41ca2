"""What the public may not see stays out of every list's choices, however they are counted."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.filters import ArticleFilter
from articles.models import Article, Category, Event, KeyFigure, Person, Tag
from articles.views import ArticleListView
from lechan.cache import content_version
from projects.filters import ProjectFilter
from projects.models import Project, Ward
from tests.articles.test_filters import options

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("from_summary", [True, False], ids=["summary", "rows"])
@pytest.mark.parametrize("params", [{}, {"kind": "news"}, {"q": "duong"}])
def test_article_list_never_offers_a_hidden_project(
    client, make_article, make_project, settings, from_summary, params
):
    shown = make_project(name="Đường công khai")
    hidden = make_project(name="Dự án ẩn", is_published=False)
    article = make_article(title="Đường mới")
    article.projects.add(shown, hidden)
    settings.LECHAN_FACET_SUMMARY_SECONDS = 600 if from_summary else 0
    version = content_version()
    response = client.get(reverse("articles:list"), params)
    assert response.status_code == 200
    assert options(response, "project") == ["Tất cả", "Đường công khai (1)"]
    assert "Dự án ẩn" not in response.content.decode()
    held = ArticleListView._summaries.get(ArticleListView)
    assert (held is not None and held[0] == version) is from_summary


def test_article_list_refuses_a_hidden_project_as_a_filter(client, make_article, make_project):
    hidden = make_project(name="Dự án ẩn", is_published=False)
    make_article(title="Đường mới").projects.add(hidden)
    response = client.get(reverse("articles:list"), {"project": hidden.slug})
    assert response.status_code == 200
    assert response.context["filter"].errors
    assert "Dự án ẩn" not in response.content.decode()


# Choices known only from unpublished content --------------------------------------------------


@pytest.fixture
def named(make_article, make_project):
    """A published article naming public things; a draft and a scheduled article naming
    their own, which no published article names. Returns the names of those."""
    hidden = []
    for title, status, when in [
        ("công khai", Article.Status.PUBLISHED, timezone.now() - timedelta(hours=1)),
        ("nháp", Article.Status.DRAFT, None),
        ("hẹn giờ", Article.Status.PUBLISHED, timezone.now() + timedelta(days=1)),
    ]:
        article = make_article(
            title=f"Bài {title}",
            status=status,
            published_at=when,
            category=Category.objects.create(name=f"Chuyên mục {title}"),
            speaker=Person.objects.create(name=f"Người {title}", position=f"Chức vụ {title}"),
            event=Event.objects.create(name=f"Sự kiện {title}"),
        )
        article.tags.add(Tag.objects.create(name=f"Thẻ {title}"))
        article.projects.add(make_project(name=f"Dự án {title}"))
        if title != "công khai":
            hidden += [f"{kind} {title}" for kind in ("Chuyên mục", "Người", "Chức vụ", "Sự kiện")]
            hidden += [f"Thẻ {title}", f"Dự án {title}"]
    return hidden


ARTICLE_CHOICES = ["category", "tag", "speaker", "event", "project"]


@pytest.mark.parametrize("from_summary", [True, False], ids=["summary", "rows"])
@pytest.mark.parametrize(
    "params",
    [{}, {"year": "abc"}, {"project": "nope"}, {"date_after": "x"}, {"kind": "news"}, {"q": "bai"}],
    ids=["none", "bad-year", "bad-project", "bad-date", "kind", "search"],
)
def test_article_list_offers_nothing_only_unpublished_articles_name(
    client, named, settings, from_summary, params
):
    settings.LECHAN_FACET_SUMMARY_SECONDS = 600 if from_summary else 0
    content_version()
    response = client.get(reverse("articles:list"), params)
    assert response.status_code == 200
    page = response.content.decode()
    for name in named:
        assert name not in page, (name, params)
    for select in ARTICLE_CHOICES:
        offered = [o.split(" (")[0] for o in options(response, select)]
        assert len(offered) == 2 and offered[1].endswith("công khai"), (select, offered)


def test_an_unbound_article_filter_offers_only_what_published_articles_name(named):
    form = ArticleFilter(queryset=Article.objects.published()).form
    for select in ARTICLE_CHOICES:
        offered = [str(choice) for choice in form.fields[select].queryset]
        assert len(offered) == 1 and "công khai" in offered[0], (select, offered)
        assert not set(offered) & set(named)


PREFIXES = {
    "category": "Chuyên mục",
    "tag": "Thẻ",
    "speaker": "Người",
    "event": "Sự kiện",
    "project": "Dự án",
}


@pytest.mark.parametrize("select", ARTICLE_CHOICES)
@pytest.mark.parametrize("title", ["nháp", "hẹn giờ"])
def test_a_choice_only_unpublished_articles_name_is_refused_like_an_unknown_one(
    client, named, select, title
):
    model = ArticleFilter.base_filters[select].queryset.model
    slug = model.objects.get(name=f"{PREFIXES[select]} {title}").slug
    response = client.get(reverse("articles:list"), {select: slug})
    unknown = client.get(reverse("articles:list"), {select: "khong-co"})
    assert response.status_code == 200
    assert response.context["filter"].errors == {
        name: [message.replace("khong-co", slug) for message in messages]
        for name, messages in unknown.context["filter"].errors.items()
    }
    assert f"{PREFIXES[select]} {title}" not in response.content.decode()


@pytest.mark.parametrize("params", [{}, {"area_min": "abc"}, {"ward": "nope"}, {"kind": "road"}])
def test_project_list_offers_no_ward_only_hidden_projects_have(client, make_project, params):
    make_project(name="Đường công khai", ward=Ward.objects.create(name="Vĩnh Niệm"))
    make_project(name="Đường ẩn", ward=Ward.objects.create(name="Phường ẩn"), is_published=False)
    response = client.get(reverse("projects:list"), params)
    assert [o.split(" (")[0] for o in options(response, "ward")] == ["Tất cả", "Vĩnh Niệm"]
    assert "Phường ẩn" not in response.content.decode()
    form = ProjectFilter(queryset=Project.objects.published()).form
    assert [ward.name for ward in form.fields["ward"].queryset] == ["Vĩnh Niệm"]


@pytest.mark.parametrize("params", [{}, {"project": "nope"}, {"q": "so"}])
def test_figures_list_offers_no_article_or_project_only_a_draft_states(
    client, make_article, make_project, params
):
    public = make_article(title="Bài công khai")
    KeyFigure.objects.create(
        article=public, project=make_project(name="Dự án công khai"), label="Số", value="1"
    )
    draft = make_article(title="Bài nháp", status=Article.Status.DRAFT)
    KeyFigure.objects.create(
        article=draft, project=make_project(name="Dự án nháp"), label="Số", value="2"
    )
    response = client.get(reverse("figures"), params)
    assert response.status_code == 200
    assert options(response, "article") == ["Tất cả", "Bài công khai"]
    assert options(response, "project") == ["Tất cả", "Dự án công khai"]
    assert "nháp" not in response.content.decode()

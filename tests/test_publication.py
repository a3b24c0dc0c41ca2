"""What the public may not see stays out of every list's choices, however they are counted."""

import pytest
from django.urls import reverse

from articles.views import ArticleListView
from lechan.cache import content_version
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
    settings.FACET_SUMMARY_SECONDS = 600 if from_summary else 0
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

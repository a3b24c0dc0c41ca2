import re
from datetime import datetime, timedelta
from html import unescape
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.filters import ArticleFilter
from articles.models import Article, Category, Event, Person, Tag
from articles.queries import published_years, year_of
from articles.views import ArticleListView
from lechan import search
from lechan.cache import content_version
from lechan.lists.facets import Facets, Summary, facet_counts
from lechan.lists.views import BestFirst
from projects.models import Project

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    """A moment in Hải Phòng's local time."""
    return datetime(*args, tzinfo=HCM)


def listing(client, **params):
    response = client.get(reverse("articles:list"), params)
    assert response.status_code == 200
    return response


def count_queries(client, url, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, params).status_code == 200
    return len(queries)


def titles(response):
    return [article.title for article in response.context["object_list"]]


def options(response, name):
    """The visible texts of the options of the select named `name`."""
    page = response.content.decode()
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', page, re.S)
    assert select, f"no select named {name}"
    return [unescape(text) for text in re.findall(r"<option[^>]*>(.*?)</option>", select[1])]


# Each filter parameter ---------------------------------------------------------------------


def test_category_filter_takes_a_slug_and_keeps_only_that_category(client, make_article):
    party = Category.objects.create(name="Xây dựng Đảng")
    economy = Category.objects.create(name="Kinh tế")
    make_article(title="Hội nghị Ban Chấp hành", category=party)
    make_article(title="Chợ Đôn mở cửa lại", category=economy)
    make_article(title="Bài không chuyên mục")
    response = listing(client, category=party.slug)
    assert party.slug == "xay-dung-dang"
    assert titles(response) == ["Hội nghị Ban Chấp hành"]
    assert response.context["paginator"].count == 1


def test_kind_filter_keeps_only_that_kind(client, make_article):
    make_article(title="Phỏng vấn Chủ tịch quận", kind=Article.Kind.INTERVIEW)
    make_article(title="Tin ngắn", kind=Article.Kind.NEWS)
    assert titles(listing(client, kind="interview")) == ["Phỏng vấn Chủ tịch quận"]


def test_tag_filter_lists_an_article_with_several_tags_once(client, make_article):
    housing, roads = Tag.objects.create(name="Nhà ở"), Tag.objects.create(name="Giao thông")
    both = make_article(title="Tái định cư cho dự án đường")
    both.tags.add(housing, roads)
    make_article(title="Chỉ có thẻ giao thông").tags.add(roads)
    make_article(title="Không có thẻ")
    response = listing(client, tag=housing.slug)
    assert titles(response) == ["Tái định cư cho dự án đường"]
    assert listing(client, tag=roads.slug).context["paginator"].count == 2


def test_speaker_filter_keeps_only_that_speakers_articles(client, make_article):
    chair = Person.objects.create(name="Lê Trung Kiên", position="Chủ tịch UBND quận")
    other = Person.objects.create(name="Nguyễn Văn A")
    make_article(title="Phát biểu khai mạc", speaker=chair, kind=Article.Kind.SPEECH)
    make_article(title="Phát biểu tham luận", speaker=other, kind=Article.Kind.SPEECH)
    assert titles(listing(client, speaker=chair.slug)) == ["Phát biểu khai mạc"]


def test_event_filter_keeps_only_that_events_articles(client, make_article):
    congress = Event.objects.create(name="Đại hội Đảng bộ quận lần thứ XXIV")
    make_article(title="Khai mạc Đại hội", event=congress)
    make_article(title="Tin khác")
    assert titles(listing(client, event=congress.slug)) == ["Khai mạc Đại hội"]


def test_project_filter_takes_the_projects_slug(client, make_article, make_project):
    lake = make_project(name="Hồ Sen – Cầu Rào 2")
    related = make_article(title="Thông xe tuyến đường")
    related.projects.add(lake)
    make_article(title="Tin không liên quan dự án")
    assert lake.slug == "ho-sen-cau-rao-2"
    assert titles(listing(client, project="ho-sen-cau-rao-2")) == ["Thông xe tuyến đường"]


@pytest.fixture
def october(make_article):
    """Articles around 15–20 October 2020, local time, newest first."""
    return [
        make_article(title="Ngày 21, đầu ngày", published_at=at(2020, 10, 21, 0, 0)),
        make_article(title="Ngày 20, cuối ngày", published_at=at(2020, 10, 20, 23, 59)),
        make_article(title="Ngày 15, đầu ngày", published_at=at(2020, 10, 15, 0, 0)),
        make_article(title="Ngày 14, cuối ngày", published_at=at(2020, 10, 14, 23, 59)),
    ]


def test_date_range_includes_both_end_days_in_local_time(client, october):
    response = listing(client, date_after="2020-10-15", date_before="2020-10-20")
    assert titles(response) == ["Ngày 20, cuối ngày", "Ngày 15, đầu ngày"]


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"date_after": "2020-10-15"},
            ["Ngày 21, đầu ngày", "Ngày 20, cuối ngày", "Ngày 15, đầu ngày"],
        ),
        (
            {"date_before": "2020-10-20"},
            ["Ngày 20, cuối ngày", "Ngày 15, đầu ngày", "Ngày 14, cuối ngày"],
        ),
    ],
)
def test_date_range_accepts_only_one_end(client, october, params, expected):
    assert titles(listing(client, **params)) == expected


def test_date_range_reads_vietnamese_day_month_year(client, october, make_article):
    make_article(title="Ngày 5 tháng 10", published_at=at(2020, 10, 5, 9, 0))
    make_article(title="Ngày 10 tháng 5", published_at=at(2020, 5, 10, 9, 0))
    response = listing(client, date_after="15/10/2020", date_before="20/10/2020")
    assert titles(response) == ["Ngày 20, cuối ngày", "Ngày 15, đầu ngày"]
    # 05/10/2020 is the fifth of October, not the tenth of May.
    response = listing(client, date_after="05/10/2020", date_before="05/10/2020")
    assert titles(response) == ["Ngày 5 tháng 10"]


def test_year_filter_counts_the_year_in_local_time(client, make_article):
    # 23:30 on New Year's Eve in Hải Phòng is still 2020; 00:30 is 2021 (17:30 UTC the day before).
    make_article(title="Cuối năm 2020", published_at=at(2020, 12, 31, 23, 30))
    make_article(title="Đầu năm 2021", published_at=at(2021, 1, 1, 0, 30))
    make_article(title="Năm 2019", published_at=at(2019, 6, 1))
    assert titles(listing(client, year="2020")) == ["Cuối năm 2020"]
    assert titles(listing(client, year="2021")) == ["Đầu năm 2021"]


def test_year_facets_count_local_years_newest_first_under_the_other_filters(client, make_article):
    make_article(title="A", published_at=at(2020, 12, 31, 23, 30))
    make_article(title="B", published_at=at(2021, 1, 1, 0, 30))
    make_article(title="C", published_at=at(2021, 5, 1), kind=Article.Kind.INTERVIEW)
    make_article(title="D", published_at=at(2018, 5, 1))
    response = listing(client, year="2021")
    # The year's own filter is ignored, so the other years stay on offer; 2019 has none.
    assert response.context["year_facets"] == [(2021, 2), (2020, 1), (2018, 1)]
    response = listing(client, kind="news")
    assert response.context["year_facets"] == [(2021, 1), (2020, 1), (2018, 1)]
    assert 'href="?kind=news&amp;year=2021">2021</a> (1)' in response.content.decode()


@pytest.mark.parametrize(
    "zone",
    [
        "Asia/Ho_Chi_Minh",  # +7 at every new year
        "America/Bogota",  # -5: the year starts after midnight UTC
        "UTC",
        "Europe/Paris",  # summer time, but +1 at every new year
        "Pacific/Apia",  # -11 then +13 from 2012: no one offset for the years
    ],
)
def test_local_year_of_a_moment_is_the_year_on_the_local_calendar(make_article, zone):
    tz = ZoneInfo(zone)
    years = list(range(2014, 2009, -1))
    for year in years[:-1]:  # a second before each new year is still in the list
        new_year = datetime(year, 1, 1, tzinfo=tz)
        for moment in (new_year - timedelta(seconds=1), new_year, new_year + timedelta(hours=5)):
            make_article(title=f"{zone} {moment.isoformat()}", published_at=moment)
    with timezone.override(tz):
        rows = Article.objects.annotate(local_year=year_of("published_at", years))
        found = {(a.published_at, a.local_year) for a in rows}
    assert len(found) == 12
    assert found == {(moment, timezone.localtime(moment, tz).year) for moment, _ in found}


# Search within the list ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "title"),
    [
        ("doi moi", "Đổi mới phương thức lãnh đạo"),
        ("DOI MOI", "Đổi mới phương thức lãnh đạo"),
        ("duong", "Đường Hồ Sen thông xe"),
        ("đổi mới", "Đổi mới phương thức lãnh đạo"),
    ],
)
def test_q_without_tone_marks_finds_vietnamese_titles(client, make_article, q, title):
    make_article(title="Đổi mới phương thức lãnh đạo")
    make_article(title="Đường Hồ Sen thông xe")
    make_article(title="Hội nghị tổng kết năm")
    assert titles(listing(client, q=q)) == [title]


TITLE_MATCH = "Đổi mới cải cách hành chính"
NEWER_BODY_MATCH = "Chỉ trong thân bài, mới nhất"
OLDER_BODY_MATCH = "Chỉ trong thân bài, cũ nhất"


@pytest.fixture
def ranked(make_article):
    """A title match dated between two body-only matches, and a newer article that misses."""
    body = "<p>Quận tiếp tục đổi mới cách làm việc với người dân.</p>"
    make_article(title=NEWER_BODY_MATCH, body=body, published_at=at(2021, 3, 1))
    make_article(title=TITLE_MATCH, published_at=at(2021, 2, 1))
    make_article(title=OLDER_BODY_MATCH, body=body, published_at=at(2021, 1, 1))
    make_article(title="Không khớp", published_at=at(2021, 4, 1))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ({}, [TITLE_MATCH, NEWER_BODY_MATCH, OLDER_BODY_MATCH]),
        ({"sort": "relevance"}, [TITLE_MATCH, NEWER_BODY_MATCH, OLDER_BODY_MATCH]),
        ({"sort": "newest"}, [NEWER_BODY_MATCH, TITLE_MATCH, OLDER_BODY_MATCH]),
        ({"sort": "oldest"}, [OLDER_BODY_MATCH, TITLE_MATCH, NEWER_BODY_MATCH]),
    ],
)
def test_q_ranks_a_title_match_above_body_matches_unless_a_date_order_is_chosen(
    client, ranked, sort, expected
):
    assert titles(listing(client, q="doi moi", **sort)) == expected


def test_without_q_the_list_is_newest_first_and_relevance_falls_back_to_it(client, ranked):
    newest_first = ["Không khớp", NEWER_BODY_MATCH, TITLE_MATCH, OLDER_BODY_MATCH]
    assert titles(listing(client)) == newest_first
    assert titles(listing(client, sort="relevance")) == newest_first


def test_q_combines_with_the_other_filters(client, make_article):
    make_article(title="Đổi mới công tác tiếp dân", kind=Article.Kind.NEWS)
    make_article(
        title="Phỏng vấn về đổi mới",
        lead="Chủ tịch quận nói về đổi mới cách tiếp dân.",
        kind=Article.Kind.INTERVIEW,
    )
    response = listing(client, q="doi moi", kind="interview")
    assert titles(response) == ["Phỏng vấn về đổi mới"]
    page = response.content.decode()
    assert "1 bài viết khớp với “doi moi”" in page
    # The snippet marks the words found, in their Vietnamese spelling.
    assert "nói về <mark>đổi mới</mark> cách tiếp dân" in page


# Facet counts --------------------------------------------------------------------------------


def test_kind_select_shows_how_many_articles_each_kind_has(client, make_article):
    make_article(kind=Article.Kind.NEWS)
    make_article(kind=Article.Kind.NEWS)
    make_article(kind=Article.Kind.INTERVIEW)
    make_article(kind=Article.Kind.NEWS, status=Article.Status.DRAFT)
    make_article(kind=Article.Kind.NEWS, published_at=timezone.now() + timedelta(days=1))
    kinds = options(listing(client), "kind")
    assert "Tin tức (2)" in kinds
    assert "Phỏng vấn (1)" in kinds
    assert "Thông báo (0)" in kinds


def test_a_facet_is_counted_under_the_other_filters_but_not_its_own(client, make_article):
    party = Category.objects.create(name="Xây dựng Đảng")
    economy = Category.objects.create(name="Kinh tế")
    make_article(kind=Article.Kind.NEWS, category=party)
    make_article(kind=Article.Kind.NEWS, category=economy)
    make_article(kind=Article.Kind.INTERVIEW, category=party)
    response = listing(client, kind="news")
    assert response.context["paginator"].count == 2
    # Picking "news" keeps the other kinds on offer, with their own counts.
    assert {"Tin tức (2)", "Phỏng vấn (1)"} <= set(options(response, "kind"))
    # The categories are counted among news only.
    assert {"Xây dựng Đảng (1)", "Kinh tế (1)"} <= set(options(response, "category"))
    response = listing(client, category=party.slug)
    assert {"Tin tức (1)", "Phỏng vấn (1)"} <= set(options(response, "kind"))
    assert {"Xây dựng Đảng (2)", "Kinh tế (1)"} <= set(options(response, "category"))


def test_speaker_and_event_selects_show_counts(client, make_article):
    chair = Person.objects.create(name="Lê Trung Kiên", position="Chủ tịch UBND quận")
    congress = Event.objects.create(name="Đại hội XXIV")
    make_article(speaker=chair, event=congress)
    make_article(speaker=chair)
    response = listing(client)
    assert "Lê Trung Kiên, Chủ tịch UBND quận (2)" in options(response, "speaker")
    assert "Đại hội XXIV (1)" in options(response, "event")


def test_facet_counts_follow_the_search_query(client, make_article):
    make_article(title="Đổi mới giao thông", kind=Article.Kind.NEWS)
    make_article(title="Đổi mới nhà ở", kind=Article.Kind.FEATURE)
    make_article(title="Hội nghị", kind=Article.Kind.NEWS)
    kinds = options(listing(client, q="doi moi"), "kind")
    assert {"Tin tức (1)", "Phóng sự (1)"} <= set(kinds)


def varied_articles(make_article, make_project):
    """24 articles over 3 kinds, 2 categories, 3 years, a speaker, a tag and 2 projects."""
    economy, city = Category.objects.create(name="Kinh tế"), Category.objects.create(name="Đô thị")
    speaker = Person.objects.create(name="Lê Trung Kiên")
    housing = Tag.objects.create(name="Nhà ở")
    roads = [make_project(name="Đường Hồ Sen"), make_project(name="Cầu Rào 2")]
    for n in range(24):
        article = make_article(
            title=f"Đổi mới {n}" if n % 5 else f"Tin {n}",
            kind=list(Article.Kind)[n % 3],
            category=(economy, city, None)[n % 4 % 3],
            speaker=speaker if n % 2 else None,
            published_at=at(2019 + n % 5 % 3, 1 + n % 12, 1 + n % 28, n % 24),
        )
        if n % 3 == 1:
            article.tags.add(housing)
        article.projects.add(*roads[: n % 3])


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "news"},
        {"kind": "news", "category": "kinh-te"},
        {"year": "2020", "speaker": "le-trung-kien"},
        {"tag": "nha-o", "year": "2020"},
        {"category": "do-thi", "date_after": "01/01/2021"},
    ],
)
def test_facets_counted_together_agree_with_facets_counted_apart(
    make_article, make_project, params
):
    """With a query, facets are counted by one GROUP BY; the counts and the total hold."""
    varied_articles(make_article, make_project)
    filterset = ArticleFilter({"q": "doi moi", **params}, queryset=Article.objects.published())
    assert filterset.is_valid(), filterset.errors
    names = ["kind", "category", "speaker", "tag", "year"]
    years = published_years()
    expressions = {"year": year_of("published_at", years)}
    apart, no_total = facet_counts(filterset, names, expressions)
    together, total = facet_counts(filterset, names, expressions, together=True)
    assert no_total == total
    assert together == apart
    assert total == filterset.qs.count() > 0
    assert_each_count_is_what_picking_it_gives(together, {"q": "doi moi", **params})


def assert_each_count_is_what_picking_it_gives(counts, params):
    """Each facet's count of each choice is what the list holds once that choice is picked."""
    choices = {
        "kind": [(kind, kind) for kind in Article.Kind.values],
        "category": [(c.pk, c.slug) for c in Category.objects.all()],
        "speaker": [(p.pk, p.slug) for p in Person.objects.all()],
        "tag": [(t.pk, t.slug) for t in Tag.objects.all()],
        "project": [(p.pk, p.slug) for p in Project.objects.all()],
        "year": [(year, str(year)) for year in published_years()],
    }
    for name in counts.keys() & choices.keys():
        picked = {
            key: ArticleFilter(
                {**params, name: value}, queryset=Article.objects.published()
            ).qs.count()
            for key, value in choices[name]
        }
        assert counts[name] == {key: n for key, n in picked.items() if n}, name


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"kind": "news"},
        {"kind": "news", "category": "kinh-te"},
        {"year": "2020", "speaker": "le-trung-kien"},
        {"category": "do-thi", "year": "2021", "kind": "interview", "sort": "oldest"},
        {"kind": "interview", "speaker": "le-trung-kien"},
    ],
)
def test_the_facet_summary_counts_what_the_rows_give(make_article, make_project, params):
    """Counted from the groups read once, each choice gives what the rows would."""
    varied_articles(make_article, make_project)
    filterset = ArticleFilter(params, queryset=Article.objects.published())
    assert filterset.is_valid(), filterset.errors
    names = ["kind", "category", "speaker", "event", "tag", "project", "year"]
    facets = Facets(filterset, names, {"year": year_of("published_at", published_years())})
    assert facets.choices_only(["sort"])
    counts, total = Summary(facets).counts(facets)
    assert counts == facet_counts(filterset, names, facets.expressions)[0]
    assert total == filterset.qs.count() > 0
    assert_each_count_is_what_picking_it_gives(counts, params)
    if not params:
        assert set(counts["project"]) == set(Project.objects.values_list("pk", flat=True))


@pytest.mark.parametrize(
    "params", [{"q": "doi moi"}, {"tag": "nha-o"}, {"date_after": "2020-01-01"}]
)
def test_only_facet_choices_are_counted_from_the_summary(make_article, make_project, params):
    varied_articles(make_article, make_project)
    filterset = ArticleFilter({"sort": "oldest", **params}, queryset=Article.objects.published())
    assert filterset.is_valid(), filterset.errors
    assert not Facets(filterset, ["kind", "tag"]).choices_only(["sort"])


def test_a_list_reads_its_facet_summary_again_only_when_the_content_changes(client, make_article):
    make_article(title="Tin", kind=Article.Kind.NEWS)
    content_version()
    first = count_queries(client, reverse("articles:list"), {"kind": "news"})
    again = count_queries(client, reverse("articles:list"), {"sort": "oldest"})
    assert again == first - 3  # the groups by single-valued facets, by tag and by project
    make_article(title="Phóng sự", kind=Article.Kind.FEATURE)
    response = listing(client, kind="news")
    assert {"Tin tức (1)", "Phóng sự (1)"} <= set(options(response, "kind"))
    assert response.context["paginator"].count == 1


def test_a_row_written_between_the_summarys_reads_waits_for_the_next_summary(
    make_article, make_project, monkeypatch
):
    varied_articles(make_article, make_project)
    filterset = ArticleFilter({}, queryset=Article.objects.published())
    assert filterset.is_valid()
    facets = Facets(filterset, ["kind", "tag"])
    read = facets.rows
    late = Article.objects.order_by("pk").last().pk + 1

    def rows(queryset, names):
        yield from read(queryset, names)
        if names == ["tag"]:  # an article tagged after the first read
            yield late, (999,)

    monkeypatch.setattr(facets, "rows", rows)
    summary = Summary(facets)
    counts, total = summary.counts(facets)
    assert 999 not in counts["tag"]
    assert total == 24
    counts, total = summary.counts(facets, among=[late, *filterset.qs.values_list("pk", flat=True)])
    assert 999 not in counts["tag"]
    assert total == 24


@pytest.mark.parametrize(
    "params",
    [
        {"q": "doi moi"},
        {"q": "doi moi", "kind": "news"},
        {"q": "doi moi", "category": "kinh-te", "year": "2020"},
        {"q": "doi moi", "speaker": "le-trung-kien", "sort": "oldest"},
        {"q": "doi moi -3"},
        {"q": "tin"},  # fewer than half the rows match: those are counted, not the others
        {"q": "tin", "kind": "news", "year": "2019"},
    ],
)
def test_a_searchs_matches_are_counted_from_the_summary_by_their_keys(
    make_article, make_project, params
):
    varied_articles(make_article, make_project)
    make_article(title="Đổi mới nháp", status=Article.Status.DRAFT)  # indexed, not listed
    filterset = ArticleFilter(params, queryset=Article.objects.published())
    assert filterset.is_valid(), filterset.errors
    names = ["kind", "category", "speaker", "event", "tag", "project", "year"]
    facets = Facets(filterset, names, {"year": year_of("published_at", published_years())})
    assert facets.choices_only(["sort", "q"])
    keys = filterset.matching_keys(search.parse(params["q"]))
    counts, total = Summary(facets).counts(facets, among=keys)
    assert (counts, total) == facet_counts(filterset, names, facets.expressions, together=True)
    assert total == filterset.qs.count() > 0
    assert_each_count_is_what_picking_it_gives(counts, params)


def test_a_loose_searchs_matches_are_counted_from_the_summary(make_article):
    make_article(title="Khu đô thị Vinhomes Marina", kind=Article.Kind.NEWS)
    make_article(title="Vinhomes Marina mở bán", kind=Article.Kind.FEATURE)
    make_article(title="Hội nghị", kind=Article.Kind.NEWS)
    filterset = ArticleFilter({"q": "vinhome"}, queryset=Article.objects.published())
    assert filterset.is_valid()
    query = search.parse("vinhome")
    assert filterset.loose(query)
    facets = Facets(filterset, ["kind", "tag"])
    counts, total = Summary(facets).counts(facets, among=filterset.matching_keys(query))
    assert total == filterset.qs.count() == 2
    assert counts["kind"] == {"news": 1, "feature": 1}


@pytest.mark.parametrize("best_rows", [1000, 30])  # past them, pages rank all the matches
@pytest.mark.parametrize(
    "params",
    [
        {"q": "doi moi"},
        {"q": "doi moi", "kind": "news", "sort": "relevance"},
        {"q": "doi moi", "tag": "nha-o"},
        {"q": "doi moi", "date_after": "01/03/2020"},
        {"q": "doi mo"},  # loose
    ],
)
def test_a_search_list_pages_its_matches_best_first_as_ranking_them_all_would(
    client, make_article, monkeypatch, params, best_rows
):
    monkeypatch.setattr(BestFirst, "rows", best_rows)
    housing = Tag.objects.create(name="Nhà ở")
    for n in range(70):
        article = make_article(  # the words in the title, the lead or the body
            title=f"Đổi mới {n}" if n % 3 == 0 else f"Bài {n}",
            lead="Đổi mới cách làm." if n % 3 == 1 else "Tin trong quận.",
            body="<p>Đổi mới mạnh mẽ.</p>" if n % 3 == 2 else "<p>Nội dung.</p>",
            kind=list(Article.Kind)[n % 2],
            published_at=at(2020, 1 + n % 5, 1 + n % 4),  # ties, broken by key
        )
        if n % 4 == 0:
            article.tags.add(housing)
    ranked = ArticleFilter(params, queryset=Article.objects.published()).qs
    first = listing(client, **params)
    shown = [article.pk for article in first.context["object_list"]]
    for page in range(2, first.context["paginator"].num_pages + 1):
        response = listing(client, **params, page=page)
        shown += [article.pk for article in response.context["object_list"]]
    assert shown == list(ranked.values_list("pk", flat=True))
    if params == {"q": "doi moi"}:
        assert len(shown) == 70


@pytest.mark.parametrize("best_rows", [1000, 1])  # read best tier first, or past that
def test_a_search_list_lets_go_of_its_matches_keys_once_the_page_is_read(
    client, make_article, monkeypatch, best_rows
):
    """The view and its paginator live on in reference cycles until the collector runs:
    a common word's hundred thousand keys must not live on with them."""
    monkeypatch.setattr(BestFirst, "rows", best_rows)
    for n in range(3):
        make_article(title=f"Đổi mới {n}")
    content_version()
    response = listing(client, q="doi moi")
    assert response.context["paginator"].count == 3
    assert response.context["view"].matched is None
    assert response.context["paginator"].object_list.matched is None


def test_a_search_list_counts_its_matches_from_the_summary(client, make_article):
    make_article(title="Đổi mới", kind=Article.Kind.NEWS)
    content_version()
    url = reverse("articles:list")
    read = count_queries(client, url, {"q": "doi moi", "kind": "news"})
    held = count_queries(client, url, {"q": "doi moi"})
    assert held == read - 3  # the rows' single-valued facets, their tags and their projects
    for n in range(10):
        make_article(title=f"Đổi mới {n}", kind=Article.Kind.FEATURE)
    content_version()
    assert count_queries(client, url, {"q": "doi moi", "kind": "news"}) == read
    assert count_queries(client, url, {"q": "doi moi"}) == held
    response = listing(client, q="doi moi", kind="feature")
    assert {"Tin tức (1)", "Phóng sự (10)"} <= set(options(response, "kind"))
    assert response.context["paginator"].count == 10


def test_a_choice_on_an_empty_list_gives_an_empty_page(client):
    response = listing(client, kind="news", sort="oldest")
    assert titles(response) == []
    assert response.context["paginator"].count == 0


def test_another_process_loads_the_facet_summary_from_the_cache(client, make_article):
    make_article(title="Tin", kind=Article.Kind.NEWS)
    content_version()
    url = reverse("articles:list")
    read = count_queries(client, url, {"kind": "news"})
    held = count_queries(client, url, {"kind": "news"})
    ArticleListView._summaries.clear()  # as in a process that has not read it
    assert count_queries(client, url, {"kind": "news"}) == held == read - 3
    assert listing(client, kind="news").context["paginator"].count == 1


def test_a_year_beyond_the_counted_ones_is_counted_from_the_rows(client, make_article, monkeypatch):
    monkeypatch.setattr("articles.queries.YEAR_FACETS", 1)
    make_article(title="Mới", published_at=at(2021, 5, 1))
    make_article(title="Cũ", published_at=at(2019, 5, 1))
    response = listing(client, year=2019)
    assert titles(response) == ["Cũ"]
    assert response.context["paginator"].count == 1


@pytest.mark.parametrize(
    "params", [{"kind": "speech", "year": 2020}, {"q": "doi moi", "kind": "speech"}]
)
def test_without_the_facet_summary_every_request_counts_the_rows(
    client, make_article, make_project, settings, params
):
    varied_articles(make_article, make_project)
    summed = listing(client, **params)
    settings.LECHAN_FACET_SUMMARY_SECONDS = 0
    counted = listing(client, **params)
    assert counted.context["facet_counts"] == summed.context["facet_counts"]
    assert counted.context["paginator"].count == summed.context["paginator"].count > 0


def test_a_model_facet_offers_its_most_frequent_choices_and_the_chosen_one(
    client, make_article, make_project, monkeypatch
):
    monkeypatch.setattr(ArticleListView, "model_facet_choices", 2)
    projects = [make_project(name=f"Dự án {n}") for n in range(4)]
    for n, project in enumerate(projects[:3]):
        for _ in range(3 - n):
            make_article(title="Tin", kind=Article.Kind.NEWS).projects.add(project)
    make_article(title="Phóng sự", kind=Article.Kind.FEATURE).projects.add(projects[3])
    offered = options(listing(client, kind="news"), "project")
    assert [o for o in offered if o.startswith("Dự án")] == ["Dự án 0 (3)", "Dự án 1 (2)"]
    offered = options(listing(client, kind="news", project=projects[3].slug), "project")
    assert [o for o in offered if o.startswith("Dự án")] == [
        "Dự án 0 (3)",
        "Dự án 1 (2)",
        "Dự án 3 (0)",
    ]


def test_a_hidden_project_takes_no_place_among_the_offered_choices(
    client, make_article, make_project, monkeypatch
):
    monkeypatch.setattr(ArticleListView, "model_facet_choices", 2)
    hidden = [make_project(name=f"Dự án ẩn {n}", is_published=False) for n in range(3)]
    shown = [make_project(name=f"Dự án {n}") for n in range(3)]
    for project, articles in zip(hidden + shown, [5, 5, 5, 3, 2, 1], strict=True):
        for _ in range(articles):
            make_article(title="Tin").projects.add(project)
    offered = options(listing(client), "project")
    assert [o for o in offered if o.startswith("Dự án")] == ["Dự án 0 (3)", "Dự án 1 (2)"]


# Bad input --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_after": "2020-13-45"}, "Nhập một ngày hợp lệ."),
        ({"date_before": "45/13/2020"}, "Nhập một ngày hợp lệ."),
        ({"year": "abc"}, "Nhập một số."),
        ({"year": "99999999999999999999"}, "Nhập một số từ 1900 đến 2999."),
        ({"kind": "unknown"}, "unknown không phải là một trong các lựa chọn khả thi."),
        ({"category": "unknown"}, "Hãy chọn một lựa chọn hợp lệ."),
        ({"sort": "popular"}, "popular không phải là một trong các lựa chọn khả thi."),
    ],
)
def test_invalid_filter_values_show_the_form_error_on_a_normal_page(
    client, make_article, params, message
):
    make_article(title="Bài đã đăng")
    response = listing(client, **params)
    page = unescape(response.content.decode())
    assert "Một số giá trị lọc không hợp lệ" in page
    assert message in page
    # The list is empty rather than silently unfiltered.
    assert titles(response) == []
    assert "0 bài viết" in page


@pytest.mark.parametrize("page", ["abc", "99999"])
def test_a_page_that_does_not_exist_is_404(client, make_article, page):
    """Django's ListView answers a non-numeric or out-of-range page with 404, not an error."""
    make_article()
    assert client.get(reverse("articles:list"), {"page": page}).status_code == 404


def test_page_last_goes_to_the_last_page(client, make_article):
    for n in range(21):
        make_article(title=f"Bài {n}", published_at=at(2021, 1, 1) + timedelta(days=n))
    assert titles(listing(client, page="last")) == ["Bài 0"]


@pytest.mark.parametrize(
    "hidden",
    [
        {"status": Article.Status.DRAFT},
        {"status": Article.Status.REVIEW},
        {"status": Article.Status.UNPUBLISHED},
        {"status": Article.Status.ARCHIVED},
        {"published_at": timezone.now() + timedelta(days=1)},
    ],
    ids=["draft", "review", "unpublished", "archived", "scheduled"],
)
def test_unpublished_and_scheduled_articles_never_appear_whatever_the_filters(
    client, make_article, hidden
):
    category = Category.objects.create(name="Xây dựng Đảng")
    shown = make_article(title="Đổi mới đã đăng", category=category)
    make_article(title="Đổi mới bị ẩn", category=category, **hidden)
    year = timezone.localtime(shown.published_at).year
    for params in ({}, {"q": "doi moi"}, {"category": category.slug}, {"year": year}):
        response = listing(client, **params)
        assert titles(response) == ["Đổi mới đã đăng"], params
        assert "Đổi mới bị ẩn" not in response.content.decode()
    assert "Tin tức (1)" in options(response, "kind")
    assert listing(client).context["year_facets"] == [(year, 1)]


def test_filtered_search_runs_the_same_queries_for_3_and_15_matches(client, make_article):
    category = Category.objects.create(name="Xây dựng Đảng")
    chair = Person.objects.create(name="Lê Trung Kiên")
    congress = Event.objects.create(name="Đại hội XXIV")
    tag = Tag.objects.create(name="Cán bộ")
    make_article(title="Hội nghị khác", category=category)
    params = {"q": "doi moi", "category": category.slug, "kind": "news", "tag": tag.slug}

    def add(n):
        for _ in range(n):
            article = make_article(
                title="Đổi mới công tác cán bộ", category=category, speaker=chair, event=congress
            )
            article.tags.add(tag)

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = listing(client, **params)
        return response.context["paginator"].count, len(queries)

    add(3)
    few, few_queries = count()
    add(12)
    many, many_queries = count()
    assert (few, many) == (3, 15)
    assert many_queries == few_queries

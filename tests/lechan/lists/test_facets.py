"""Facet counts: each facet counted under every other choice, from the rows or a Summary."""

from array import array
from datetime import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import django_filters
import pytest
from django.db.models.functions import ExtractYear

from articles.filters import ArticleFilter
from articles.models import Article, Category, Tag
from lechan.lists.facets import Facets, Links, Summary, facet_counts, filtered, tally

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
NAMES = ["kind", "category", "tag", "year"]
YEAR = {"year": ExtractYear("published_at")}


class Choices(django_filters.FilterSet):
    """A choice, a model choice, one across a many-to-many relation and a year.

    A plain FilterSet, without the articles list's search and sorting: facets.py alone.
    """

    kind = django_filters.ChoiceFilter(choices=Article.Kind.choices)
    category = django_filters.ModelChoiceFilter(
        queryset=Category.objects.all(), to_field_name="slug"
    )
    tag = django_filters.ModelChoiceFilter(
        field_name="tags", queryset=Tag.objects.all(), to_field_name="slug"
    )
    year = django_filters.NumberFilter(field_name="published_at", lookup_expr="year")

    class Meta:
        model = Article
        fields = []


def choices(params, queryset=None):
    filterset = Choices(params, queryset=Article.objects.all() if queryset is None else queryset)
    assert filterset.is_valid(), filterset.errors
    return filterset


@pytest.fixture
def shelf(make_article):
    """Five articles: kind, category, year and tags as in each line below."""
    economy, city = Category.objects.create(name="Kinh tế"), Category.objects.create(name="Đô thị")
    housing, roads = Tag.objects.create(name="Nhà ở"), Tag.objects.create(name="Giao thông")
    news, feature = Article.Kind.NEWS, Article.Kind.FEATURE
    rows = [
        (news, economy, 2020, [housing, roads]),
        (news, city, 2021, [housing]),
        (feature, economy, 2021, []),
        (feature, None, 2021, [roads]),
        (news, economy, 2021, []),
    ]
    articles = []
    for n, (kind, category, year, tags) in enumerate(rows):
        article = make_article(
            title=f"Bài {n}",
            kind=kind,
            category=category,
            published_at=datetime(year, 6, 1, 12, tzinfo=HCM),
        )
        article.tags.add(*tags)
        articles.append(article)
    return SimpleNamespace(
        articles=articles, economy=economy, city=city, housing=housing, roads=roads
    )


# tally and Links: counting over groups, without the database ----------------------------


def test_tally_counts_each_facet_over_the_groups_that_agree_with_the_other_choices():
    groups = [
        (("news", 1), 3),
        (("news", 2), 2),
        (("feature", 1), 4),
        (("feature", None), 1),
        (("speech", 2), 0),
    ]
    counts, total, agree = tally(groups, ["kind", "category"], {"kind": "news"})
    assert counts == {"kind": {"news": 5, "feature": 5}, "category": {1: 3, 2: 2}}
    assert total == 5
    assert list(agree) == [1, 1, 0, 0, 0]


def test_tally_counts_a_group_that_differs_from_two_choices_for_no_facet():
    groups = [(("news", 1), 3), (("feature", 2), 4), (("feature", 1), 2), (("", 1), 1)]
    counts, total, agree = tally(groups, ["kind", "category"], {"kind": "news", "category": 1})
    assert counts == {"kind": {"news": 3, "feature": 2}, "category": {1: 3}}
    assert total == 3  # the group without a kind agrees with neither choice of a kind
    assert list(agree) == [1, 0, 0, 0]


def test_links_count_the_values_of_the_rows_in_the_groups_marked_or_of_the_keys_given():
    group_of = array("i", [-1, 0, -1, 1, 0])
    pairs = [(1, (10,)), (1, (11,)), (2, (11,)), (3, (10,)), (4, (11,)), (9, (10,))]
    links = Links(pairs, group_of)  # key 2 is in no group, key 9 beyond them: both left out
    assert links.count(bytearray([1, 1])) == {10: 2, 11: 2}
    assert links.count(bytearray([1, 0])) == {10: 1, 11: 2}
    assert links.count(bytearray([0, 1])) == {10: 1}
    assert links.count_keys([1, 3]) == {10: 2, 11: 1}
    assert links.count_keys([2, 4]) == {11: 1}


# Facets and filtered: the filterset's columns and choices -------------------------------


def test_filtered_keeps_the_rows_of_every_choice_but_those_left_out(shelf):
    a = shelf.articles
    filterset = choices({"kind": "news", "category": "kinh-te"})
    assert set(filtered(filterset)) == {a[0], a[4]}
    assert set(filtered(filterset, without=["kind"])) == {a[0], a[2], a[4]}
    assert set(filtered(filterset, without=["kind", "category"])) == set(a)
    assert not filtered(filterset).ordered  # the model's ordering would split the groups


def test_facets_tell_a_many_to_many_facet_apart_and_name_an_expressions_column(shelf):
    facets = Facets(choices({}), NAMES, YEAR)
    assert facets.many == ["tag"]
    assert facets.single == ["kind", "category", "year"]
    assert [facets.column(name) for name in NAMES] == ["kind", "category", "tags", "facet_year"]


def test_chosen_gives_a_model_choice_by_its_key_and_leaves_empty_filters_out(shelf):
    facets = Facets(choices({"category": "kinh-te", "kind": "", "year": "2021"}), NAMES, YEAR)
    assert facets.chosen(["kind", "category", "tag"]) == {"category": shelf.economy.pk}
    assert facets.chosen(["year"]) == {"year": 2021}


def test_choices_only_holds_while_every_value_given_is_a_single_valued_facets(shelf):
    assert Facets(choices({"kind": "news", "year": "2021"}), NAMES, YEAR).choices_only()
    with_tag = Facets(choices({"kind": "news", "tag": "nha-o"}), NAMES, YEAR)
    assert not with_tag.choices_only()
    assert with_tag.choices_only(["tag"])


# facet_counts: from the rows -----------------------------------------------------------


@pytest.mark.parametrize("together", [False, True], ids=["apart", "together"])
def test_each_facet_is_counted_under_every_choice_but_its_own(shelf, together):
    counts, total = facet_counts(
        choices({"kind": "news", "category": "kinh-te"}), NAMES, YEAR, together=together
    )
    assert counts == {
        "kind": {"news": 2, "feature": 1},
        "category": {shelf.economy.pk: 2, shelf.city.pk: 1},
        "tag": {shelf.housing.pk: 1, shelf.roads.pk: 1},
        "year": {2020: 1, 2021: 1},
    }
    assert total == 2


def test_a_row_counts_once_for_each_of_its_values_across_a_many_to_many_facet(shelf):
    counts, total = facet_counts(choices({}), ["kind", "tag"])
    assert counts == {
        "kind": {"news": 3, "feature": 2},
        "tag": {shelf.housing.pk: 2, shelf.roads.pk: 2},
    }
    assert total == 5


# Summary: from the groups read once ----------------------------------------------------


@pytest.fixture
def summary(shelf):
    return Summary(Facets(choices({}), NAMES, YEAR))


PARAMS = [{}, {"kind": "news"}, {"kind": "news", "category": "kinh-te"}, {"year": "2021"}]


@pytest.mark.parametrize("params", PARAMS)
def test_a_summary_counts_any_choices_as_the_rows_do(summary, params):
    filterset = choices(params)
    assert summary.counts(Facets(filterset, NAMES, YEAR)) == facet_counts(filterset, NAMES, YEAR)


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("among", [[3], [0, 1, 2, 4]], ids=["few", "most"])
def test_a_summary_counts_the_rows_among_the_keys_given_as_those_rows_do(
    shelf, summary, params, among
):
    """Fewer than half the rows are counted from their keys, more from the others'."""
    unknown = shelf.articles[-1].pk + 99  # no row of the summary's (one written since, say)
    keys = [shelf.articles[n].pk for n in among] + [unknown]
    facets = Facets(choices(params), NAMES, YEAR)
    rows = choices(params, queryset=Article.objects.filter(pk__in=keys))
    assert summary.counts(facets, among=keys) == facet_counts(rows, NAMES, YEAR)


def test_a_summary_leaves_a_value_in_none_of_its_groups_to_the_rows(summary):
    assert summary.counts(Facets(choices({"year": "2019"}), NAMES, YEAR)) is None


def test_the_summary_finds_the_rows_a_search_did_not_match(make_article):
    articles = [make_article(title=f"Tin {n}") for n in range(10)]
    make_article(title="Nháp", status=Article.Status.DRAFT)
    filterset = ArticleFilter({}, queryset=Article.objects.published())
    assert filterset.is_valid()
    summary = Summary(Facets(filterset, ["kind"]))
    keys = [article.pk for article in articles]
    assert summary.outside(keys[:7]) == keys[7:]
    assert summary.outside([]) == keys
    assert summary.outside([keys[3], keys[-1] + 99]) == keys[:3] + keys[4:]  # unknown keys

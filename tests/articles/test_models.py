from datetime import datetime, timedelta
from decimal import Decimal
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from articles.models import (
    Article,
    ArticleImage,
    ArticleQuerySet,
    Category,
    Event,
    KeyFigure,
    Person,
    Tag,
)
from lechan.models import Photo, PublicItemQuerySet, SluggedModel
from tests.editorial import EDITOR, REPORTER, user_in_role
from tests.seed import SEED_SLUG

SEED_TITLE = "Đổi mới phương thức lãnh đạo, chỉ đạo của cấp ủy Đảng trong khai thác các nguồn lực"


# Slugs


def test_slug_is_derived_from_title_on_save_with_d_bar_as_d(make_article):
    article = make_article(title=SEED_TITLE)
    assert article.slug == SEED_SLUG


def test_slug_of_duplicate_titles_gets_numbered_suffixes(make_article):
    slugs = [make_article(title="Đường Hồ Sen – Cầu Rào 2").slug for _ in range(3)]
    assert slugs == [
        "duong-ho-sen-cau-rao-2",
        "duong-ho-sen-cau-rao-2-2",
        "duong-ho-sen-cau-rao-2-3",
    ]


def test_slug_set_by_hand_is_kept(make_article):
    article = make_article(title="Đường Hồ Sen", slug="ho-sen-ban-tay")
    article.refresh_from_db()
    assert article.slug == "ho-sen-ban-tay"


def test_editing_the_title_of_a_published_article_keeps_its_slug(make_article):
    article = make_article(title="Đường Hồ Sen")
    article.title = "Đường Hồ Sen – Cầu Rào 2 đã hoàn thành"
    article.save()
    article.refresh_from_db()
    assert article.slug == "duong-ho-sen"


def test_slug_of_a_very_long_vietnamese_title_fits_the_field(make_article):
    max_length = Article._meta.get_field("slug").max_length
    title_length = Article._meta.get_field("title").max_length
    title = ((SEED_TITLE + " ") * 5)[:title_length]
    first = make_article(title=title)
    second = make_article(title=title)
    for article in (first, second):
        article.refresh_from_db()
        assert 0 < len(article.slug) <= max_length
        assert article.slug.isascii()
        assert not article.slug.endswith("-")
    assert first.slug.startswith(SEED_SLUG)
    assert second.slug.endswith("-2")
    assert first.slug != second.slug


def test_slug_field_holds_the_seed_slug():
    assert len(SEED_SLUG) <= Article._meta.get_field("slug").max_length


OCTOBER_15 = datetime(2020, 10, 15, 23, 30, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))


@pytest.mark.parametrize("title", ["🎉🎉", "–", "!!! ???", "🇻🇳"])
def test_slug_of_a_title_without_letters_is_the_kind_and_the_day(make_article, title):
    article = make_article(title=title, published_at=OCTOBER_15)
    assert article.slug == "tin-tuc-15-10-2020"


def test_slugs_of_titles_without_letters_tell_articles_apart(make_article):
    slugs = [
        make_article(title="🎉🎉", published_at=OCTOBER_15).slug,
        make_article(title="🎉", published_at=OCTOBER_15).slug,
        make_article(title="🎉", published_at=OCTOBER_15, kind=Article.Kind.SPEECH).slug,
        make_article(title="🎉", published_at=OCTOBER_15 + timedelta(days=1)).slug,
    ]
    assert slugs == [
        "tin-tuc-15-10-2020",
        "tin-tuc-15-10-2020-2",
        "tham-luan-phat-bieu-15-10-2020",
        "tin-tuc-16-10-2020",
    ]


def test_slug_of_an_unpublished_title_without_letters_has_the_day_it_was_written(make_article):
    with time_machine.travel(OCTOBER_15, tick=False):
        article = make_article(title="🎉", status=Article.Status.DRAFT, published_at=None)
    assert article.slug == "tin-tuc-15-10-2020"


def test_slug_of_a_title_without_letters_skips_an_address_kept_for_a_moved_article(make_article):
    moved = make_article(title="🎉", published_at=OCTOBER_15)
    moved.slug = "phao-hoa"
    moved.save()
    assert make_article(title="🎉", published_at=OCTOBER_15).slug == "tin-tuc-15-10-2020-2"


def test_slug_of_a_title_without_letters_set_by_hand_or_already_given_is_kept(make_article):
    by_hand = make_article(title="🎉", slug="phao-hoa")
    assert by_hand.slug == "phao-hoa"
    Article.objects.filter(pk=by_hand.pk).update(slug="article")
    kept = Article.objects.get(pk=by_hand.pk)
    kept.lead = "Sapo mới."
    kept.save()
    assert Article.objects.get(pk=by_hand.pk).slug == "article"


def test_slug_of_a_tag_without_letters_is_what_it_is_and_the_day(db):
    with time_machine.travel(OCTOBER_15, tick=False):
        assert Tag.objects.create(name="🎉").slug == "the-15-10-2020"


# Publication


def test_published_includes_article_published_in_the_past(make_article):
    article = make_article(published_at=timezone.now() - timedelta(days=3))
    assert list(Article.objects.published()) == [article]


def test_published_includes_article_published_a_moment_ago(make_article):
    article = make_article(published_at=timezone.now() - timedelta(seconds=1))
    assert article in Article.objects.published()


def test_published_includes_article_published_exactly_now(make_article):
    now = timezone.now()
    article = make_article(published_at=now)
    with mock.patch("django.utils.timezone.now", return_value=now):
        assert article in Article.objects.published()


def test_published_excludes_article_scheduled_a_moment_from_now(make_article):
    make_article(published_at=timezone.now() + timedelta(minutes=1))
    assert not Article.objects.published().exists()


def test_published_excludes_scheduled_article_until_its_time_comes(make_article):
    publish_at = timezone.now() + timedelta(days=1)
    article = make_article(published_at=publish_at)
    assert not Article.objects.published().exists()
    with mock.patch("django.utils.timezone.now", return_value=publish_at + timedelta(seconds=1)):
        assert list(Article.objects.published()) == [article]


@pytest.mark.parametrize(
    "status",
    [
        Article.Status.DRAFT,
        Article.Status.REVIEW,
        Article.Status.UNPUBLISHED,
        Article.Status.ARCHIVED,
    ],
)
def test_published_excludes_unpublished_statuses_even_with_a_past_date(make_article, status):
    make_article(status=status, published_at=timezone.now() - timedelta(days=30))
    assert not Article.objects.published().exists()


def test_saving_as_published_without_a_date_sets_published_at_to_now(make_article):
    before = timezone.now()
    article = make_article(published_at=None)
    after = timezone.now()
    article.refresh_from_db()
    assert before <= article.published_at <= after
    assert article in Article.objects.published()


def test_saving_a_draft_without_a_date_leaves_published_at_empty(make_article):
    article = make_article(status=Article.Status.DRAFT, published_at=None)
    article.refresh_from_db()
    assert article.published_at is None


def test_saving_as_published_keeps_an_explicit_date(make_article):
    when = timezone.now() - timedelta(days=400)
    article = make_article(published_at=when)
    article.refresh_from_db()
    assert article.published_at == when


# Byline and URL


def test_byline_joins_reporter_and_photographer_in_capitals(make_article):
    article = make_article(reporter="Hồng Thanh (ghi)", photographer="Duy Thính")
    assert article.byline == "HỒNG THANH (GHI) – ẢNH: DUY THÍNH"


def test_byline_with_reporter_only(make_article):
    assert make_article(reporter="Hồng Thanh (ghi)").byline == "HỒNG THANH (GHI)"


def test_byline_with_photographer_only(make_article):
    assert make_article(photographer="Duy Thính").byline == "ẢNH: DUY THÍNH"


def test_byline_without_credits_is_empty(make_article):
    assert make_article().byline == ""


def test_get_absolute_url_contains_the_slug(make_article):
    article = make_article(title=SEED_TITLE)
    url = article.get_absolute_url()
    assert url.startswith("/")
    assert SEED_SLUG in url


# Key figures


@pytest.mark.parametrize(
    ("value", "unit", "expected"),
    [
        ("40843", "tỷ đồng", "Tổng vốn đầu tư: 40843 tỷ đồng"),
        ("11.9", "km²", "Tổng vốn đầu tư: 11.9 km²"),
        ("100", "%", "Tổng vốn đầu tư: 100 %"),
        ("30", "", "Tổng vốn đầu tư: 30"),
        ("0", "hộ", "Tổng vốn đầu tư: 0 hộ"),
    ],
)
def test_key_figure_str_shows_label_plain_number_and_unit(make_article, value, unit, expected):
    figure = KeyFigure.objects.create(
        article=make_article(), label="Tổng vốn đầu tư", value=Decimal(value), unit=unit
    )
    figure.refresh_from_db()  # the database pads the value to four decimal places
    assert str(figure) == expected


def test_published_figures_are_those_of_published_articles(make_article):
    shown = KeyFigure.objects.create(article=make_article(), label="Vốn", value=Decimal(1))
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    KeyFigure.objects.create(article=draft, label="Vốn", value=Decimal(2))
    assert list(KeyFigure.objects.published()) == [shown]


# What the abstract models hold


def redeclared(model, base):
    """The fields `model` declares again though its abstract `base` declares them."""
    inherited = {field.name: field.creation_counter for field in base._meta.fields}
    return {
        field.name
        for field in model._meta.fields
        if field.name in inherited and field.creation_counter != inherited[field.name]
    }


def test_an_article_photo_declares_again_only_its_folder_and_its_alt_text_hint():
    assert redeclared(ArticleImage, Photo) == {"image", "alt_text"}


def test_an_article_photo_is_kept_in_the_articles_folder():
    assert ArticleImage._meta.get_field("image").upload_to == "articles/%Y/%m/"


def test_categories_tags_people_and_events_take_their_slug_from_slugged_model():
    for model in (Category, Tag, Person, Event):
        assert redeclared(model, SluggedModel) == set()


def test_who_may_read_an_article_is_decided_by_the_shared_queryset():
    assert ArticleQuerySet.visible_to is PublicItemQuerySet.visible_to


def test_a_reporter_reads_the_published_articles_and_all_own_ones(make_article, django_user_model):
    reporter = user_in_role(django_user_model, REPORTER, "phongvien")
    published = make_article(title="Đã đăng")
    own = make_article(title="Của mình", status=Article.Status.ARCHIVED, author=reporter)
    make_article(title="Của người khác", status=Article.Status.DRAFT, published_at=None)
    assert set(Article.objects.visible_to(reporter)) == {published, own}


def test_an_editor_reads_every_article(make_article, django_user_model):
    editor = user_in_role(django_user_model, EDITOR, "bientapvien")
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    assert set(Article.objects.visible_to(editor)) == {draft}

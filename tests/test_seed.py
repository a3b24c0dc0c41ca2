"""The seed fixture (fixtures/lechan.json) against the article it was made from."""

import html
import re
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, ArticleImage
from projects.models import Project
from tests.seed import SEED_SLUG

TITLE = "Đổi mới phương thức lãnh đạo, chỉ đạo của cấp ủy Đảng trong khai thác các nguồn lực"
CAPTION = "Đồng chí Lê Trung Kiên, Bí thư Quận ủy Lê Chân trình bày tham luận tại Đại hội."
BODY_END = "năm 2045./."
# The source article, kept beside the fixture made from it.
SEED_FILE = Path(settings.BASE_DIR) / "fixtures" / "source" / "000_d7b1ef62292310e4.txt"
PROJECT_NAMES = [
    "Hồ Sen",
    "Aeon Mall",
    "Nikko",
    "Vinhomes Marina",
    "Agape",
    "Làng Việt kiều quốc tế",
    "Minato",
]
UNSTATED_PROJECT_FIELDS = [
    "investment_vnd",
    "area_ha",
    "households_relocated",
    "start_year",
    "completion_year",
    "investor",
    "ward",
    "zone",
    "funding",
]


def load_seed():
    call_command("loaddata", "lechan", verbosity=0)


@pytest.fixture
def article(db):
    load_seed()
    return Article.objects.get(title=TITLE)


@pytest.fixture(scope="module")
def seed_text():
    return SEED_FILE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed(seed_text):
    """The seed article split into chrome, lead, body paragraphs, caption and byline."""
    blocks = [b.strip() for b in re.split(r"\n[ \t]*\n", seed_text) if b.strip()]
    end = next(i for i, block in enumerate(blocks) if block.endswith(BODY_END))
    body = blocks[2 : end + 1]
    return {
        "chrome": blocks[0],
        "lead": blocks[1],
        "body": [p for p in body if p != CAPTION],
        "caption_position": body.index(CAPTION),
        "byline": blocks[end + 1],
    }


def body_paragraphs(article):
    return [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", article.body, re.S)]


def vietnamese_number(value):
    """40843 → "40.843", 91.95 → "91,95": dot for thousands, comma for decimals."""
    whole, _, fraction = f"{Decimal(value).normalize():f}".partition(".")
    whole = f"{int(whole):,}".replace(",", ".")
    return f"{whole},{fraction}" if fraction else whole


def app_snapshot():
    """Every row of both apps, serialized, including the many-to-many tables."""
    snapshot = {}
    for label in ("articles", "projects"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = model._default_manager.order_by("pk")
            snapshot[model._meta.label] = (rows.count(), serializers.serialize("json", rows))
    return snapshot


# Loading


def test_loading_the_seed_twice_changes_no_row(db):
    load_seed()
    first = app_snapshot()
    load_seed()
    second = app_snapshot()
    assert {label: count for label, (count, _) in second.items()} == {
        label: count for label, (count, _) in first.items()
    }
    assert second == first


def test_seed_loads_rows_for_every_content_model(db):
    load_seed()
    counts = {label: count for label, (count, _) in app_snapshot().items()}
    for label in [
        "articles.Article",
        "articles.ArticleImage",
        "articles.KeyFigure",
        "articles.Person",
        "articles.Event",
        "projects.Project",
        "projects.ProjectMilestone",
    ]:
        assert counts[label] > 0, label


# The article


def test_seed_article_is_a_published_speech_with_the_seed_slug(article):
    assert article.kind == Article.Kind.SPEECH
    assert article.status == Article.Status.PUBLISHED
    assert article.slug == SEED_SLUG
    assert article in Article.objects.published()


def test_seed_article_was_published_thursday_15_october_2020_at_10_51_hanoi_time(article):
    expected = datetime(2020, 10, 15, 10, 51, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert article.published_at == expected
    local = timezone.localtime(article.published_at, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local.weekday() == 3  # Thứ Năm
    assert (local.hour, local.minute) == (10, 51)


def test_seed_article_date_matches_the_seed_page(article, seed):
    assert seed["chrome"].startswith("Print Thứ Năm, 15/10/2020 10:51")
    local = timezone.localtime(article.published_at, ZoneInfo("Asia/Ho_Chi_Minh"))
    assert local.strftime("%d/%m/%Y %H:%M") in seed["chrome"]


def test_seed_article_lead_is_the_seed_lead_word_for_word(article, seed):
    assert seed["lead"].startswith("Sáng 15-10, ")
    assert article.lead == seed["lead"]


def test_seed_article_body_is_the_seed_body_paragraph_for_paragraph(article, seed):
    assert seed["body"][-1].endswith(BODY_END)
    assert body_paragraphs(article) == seed["body"]
    assert re.sub(r"<p>.*?</p>", "", article.body, flags=re.S).strip() == ""


def test_seed_photo_caption_is_an_image_not_a_body_paragraph(article, seed):
    image = ArticleImage.objects.get(article=article)
    assert image.caption == CAPTION
    assert image.credit == "Duy Thính"
    assert not image.image
    assert image.position == seed["caption_position"] == 2
    assert CAPTION not in body_paragraphs(article)


def test_seed_article_credits_and_byline(article, seed):
    assert article.reporter == "Hồng Thanh (ghi)"
    assert article.photographer == "Duy Thính"
    assert seed["byline"] == "HỒNG THANH (GHI) – ẢNH: DUY THÍNH"
    assert article.byline == seed["byline"]


def test_seed_article_source_speaker_and_event(article):
    assert article.source_name == "Cổng tin tức Thành phố Hải Phòng"
    assert article.speaker.name == "Lê Trung Kiên"
    assert article.speaker.position == "Bí thư Quận ủy Lê Chân"
    assert "Đại hội 16" in article.event.name
    assert article.event_day == 3


# Projects


@pytest.mark.parametrize("name", PROJECT_NAMES)
def test_seed_article_links_every_project_the_seed_names(article, name):
    assert any(name in project.name for project in article.projects.all()), name


def test_seed_article_links_the_alley_upgrade_programme(article):
    assert article.projects.filter(kind=Project.Kind.ALLEY_UPGRADE).exists()


def test_seed_projects_are_all_linked_to_the_seed_article(article):
    assert set(Project.objects.all()) == set(article.projects.all())


def test_seed_ho_sen_road_is_completed_after_being_stalled(article):
    road = article.projects.get(name__contains="Hồ Sen")
    assert road.kind == Project.Kind.ROAD
    assert road.status == Project.Status.COMPLETED
    assert [m.status for m in road.milestones.all()] == [
        Project.Status.STALLED,
        Project.Status.COMPLETED,
    ]


@pytest.mark.parametrize("field", UNSTATED_PROJECT_FIELDS)
def test_seed_projects_leave_empty_what_the_seed_does_not_state(article, field):
    invented = {
        project.name: getattr(project, field)
        for project in Project.objects.all()
        if getattr(project, field) not in (None, "")
    }
    assert invented == {}


def test_seed_states_the_status_of_the_road_alone(article):
    """Completed after 26 years stalled; the article gives no other project's state."""
    stated = {p.name: p.status for p in Project.objects.all() if p.status}
    assert stated == {"Đường Hồ Sen – Cầu Rào 2": Project.Status.COMPLETED}


# Key figures


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("40843", "40.843"),
        ("36384.0000", "36.384"),
        ("91.95", "91,95"),
        ("11.9000", "11,9"),
        ("1500", "1.500"),
        ("100.0000", "100"),
        ("3.8", "3,8"),
        ("6", "6"),
        ("0.0000", "0"),
    ],
)
def test_vietnamese_number_helper(value, expected):
    assert vietnamese_number(value) == expected


def figure_pattern(figure):
    """Qualifier, number (zero-padded or not, Vietnamese style) and unit as the seed writes them."""
    qualifier = rf"{re.escape(figure.qualifier)}\s+" if figure.qualifier else r"(?<![\d.,])"
    number = rf"0*{re.escape(vietnamese_number(figure.value))}(?![\d]|[.,]\d)"
    return qualifier + number + rf"\s*{re.escape(figure.unit)}"


def test_every_seed_key_figure_is_stated_in_the_seed(article, seed_text):
    figures = list(article.key_figures.all())
    assert figures
    not_stated = []
    for figure in figures:
        if figure.value == 0:
            # the seed states a zero in words: "quận không còn hộ nghèo"
            found = f"không còn {figure.unit}" in seed_text
        else:
            found = re.search(figure_pattern(figure), seed_text) is not None
        years = re.findall(r"\d{4}", figure.period)
        if not found or not all(year in seed_text for year in years):
            not_stated.append(str(figure))
    assert not_stated == []


@pytest.mark.parametrize(
    ("qualifier", "value", "unit", "period", "seed_words"),
    [
        ("", "40843", "tỷ đồng", "2016–2020", "giai đoạn 2016-2020 đạt 40.843 tỷ đồng"),
        ("", "89", "%", "2016–2020", "ngoài ngân sách chiếm 89%"),
        ("", "36384", "tỷ đồng", "2016–2020", "bằng 36.384 tỷ đồng"),
        ("", "30", "dự án", "", "thu hút 30 dự án"),
        ("khoảng", "200", "ha", "", "khoảng 200ha"),
        ("gần", "1500", "hộ", "", "gần 1.500 hộ dân"),
        ("", "6", "dự án", "", "06 dự án phát triển nhà và đô thị mới"),
        ("", "91.95", "ha", "", "91,95ha tại phía nam đường Nguyễn Văn Linh"),
        ("trên", "800", "ngõ", "", "trên 800 ngõ"),
        ("gần", "60", "km", "", "gần 60km"),
        ("khoảng", "11.9", "km²", "", "khoảng 11,9km²"),
    ],
)
def test_seed_states_the_key_figure(article, seed_text, qualifier, value, unit, period, seed_words):
    assert seed_words in seed_text
    assert vietnamese_number(value) in seed_words
    figures = {
        (figure.qualifier, figure.value, figure.unit, figure.period)
        for figure in article.key_figures.all()
    }
    assert (qualifier, Decimal(value), unit, period) in figures

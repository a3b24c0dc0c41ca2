import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticleImage, Category, Event, KeyFigure, Person, Tag
from tests.editorial import form_data

pytestmark = pytest.mark.django_db


def png(name="anh.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


MAKERS = {
    Category: lambda make_article: Category.objects.create(name="Thời sự"),
    Tag: lambda make_article: Tag.objects.create(name="Đại hội Đảng"),
    Person: lambda make_article: Person.objects.create(
        name="Vũ Thanh Chương", position="Bí thư Quận ủy Lê Chân"
    ),
    Event: lambda make_article: Event.objects.create(name="Đại hội 16 Đảng bộ thành phố"),
    Article: lambda make_article: make_article(title="Đường Hồ Sen"),
    ArticleImage: lambda make_article: ArticleImage.objects.create(
        article=make_article(), caption="Quang cảnh đại hội"
    ),
    KeyFigure: lambda make_article: KeyFigure.objects.create(
        article=make_article(), label="Tổng vốn đầu tư", value=Decimal("40843"), unit="tỷ đồng"
    ),
}
MODELS = pytest.mark.parametrize("model", list(MAKERS), ids=lambda model: model.__name__)


def admin_url(model, view, *args):
    return reverse(f"admin:articles_{model._meta.model_name}_{view}", args=args)


def add_form_data(**fields):
    """What the article add form posts when the editor fills only `fields`."""
    data = {
        "title": "",
        "slug": "",
        "kind": Article.Kind.NEWS,
        "status": Article.Status.DRAFT,
        "published_at_0": "",
        "published_at_1": "",
        "lead": "",
        "body": "",
        "event_day": "",
        "reporter": "",
        "photographer": "",
        "source_name": "",
        "source_url": "",
    }
    for prefix in ("images", "key_figures"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(fields)
    return data


def changelist_queries(client):
    url = admin_url(Article, "changelist")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@MODELS
def test_changelist_loads_for_staff(editor_client, make_article, model):
    MAKERS[model](make_article)
    response = editor_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@MODELS
def test_add_page_loads_for_staff(editor_client, model):
    response = editor_client.get(admin_url(model, "add"))
    assert response.status_code == 200


@MODELS
def test_change_page_loads_for_staff(editor_client, make_article, model):
    obj = MAKERS[model](make_article)
    response = editor_client.get(admin_url(model, "change", obj.pk))
    assert response.status_code == 200


def test_article_changelist_redirects_anonymous_to_login(client):
    response = client.get(admin_url(Article, "changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_article_change_page_renders_imageless_image_and_key_figure(editor_client, make_article):
    article = make_article(title="Lê Chân đổi mới")
    ArticleImage.objects.create(article=article, caption="Quang cảnh đại hội", position=3)
    KeyFigure.objects.create(
        article=article, label="Diện tích quận", value=Decimal("11.9"), unit="km²"
    )
    response = editor_client.get(admin_url(Article, "change", article.pk))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Quang cảnh đại hội" in content
    assert "Diện tích quận" in content
    assert re.search(r'<td class="field-thumbnail">\s*<p>—</p>', content)
    for legend in ("Nội dung", "Xuất bản", "Phân loại", "Nguồn và tác giả"):
        assert legend in content


def test_article_change_page_previews_uploaded_image(editor_client, make_article, media_root):
    article = make_article()
    image = ArticleImage.objects.create(article=article, image=png(), alt_text="Ảnh thử")
    response = editor_client.get(admin_url(Article, "change", article.pk))
    assert f'<img src="{image.image.url}" alt="Ảnh thử"' in response.content.decode()


def test_article_image_changelist_previews_image(editor_client, make_article, media_root):
    image = ArticleImage.objects.create(article=make_article(), image=png(), caption="Hồ Sen")
    response = editor_client.get(admin_url(ArticleImage, "changelist"))
    assert f'<img src="{image.image.url}" alt="Hồ Sen"' in response.content.decode()


def test_publish_action_publishes_and_stamps_published_at(editor_client, make_article):
    draft = make_article(status=Article.Status.DRAFT, published_at=None)
    review = make_article(title="Chờ duyệt", status=Article.Status.REVIEW, published_at=None)
    response = editor_client.post(
        admin_url(Article, "changelist"),
        {"action": "publish", "_selected_action": [draft.pk, review.pk]},
        follow=True,
    )
    assert "Đã xuất bản 2 bài viết." in response.content.decode()
    for article in (draft, review):
        article.refresh_from_db()
        assert article.status == Article.Status.PUBLISHED
        assert article.published_at is not None


def test_publish_action_keeps_a_scheduled_time(editor_client, make_article):
    scheduled_at = timezone.now() + timedelta(days=30)
    article = make_article(status=Article.Status.REVIEW, published_at=scheduled_at)
    editor_client.post(
        admin_url(Article, "changelist"), {"action": "publish", "_selected_action": [article.pk]}
    )
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == scheduled_at


def test_unpublish_action_takes_articles_down(editor_client, make_article):
    article = make_article()
    response = editor_client.post(
        admin_url(Article, "changelist"),
        {"action": "unpublish", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "Đã gỡ 1 bài viết." in response.content.decode()
    article.refresh_from_db()
    assert article.status == Article.Status.UNPUBLISHED
    assert not Article.objects.published().exists()


def test_article_changelist_query_count_does_not_grow_with_rows(editor_client, make_article):
    def add_articles(start, stop):
        for n in range(start, stop):
            make_article(
                title=f"Bài {n}",
                category=Category.objects.create(name=f"Chuyên mục {n}"),
                speaker=Person.objects.create(name=f"Người {n}"),
            )

    add_articles(0, 2)
    with_two = changelist_queries(editor_client)
    add_articles(2, 20)
    assert changelist_queries(editor_client) == with_two


def test_article_added_with_blank_slug_gets_ascii_slug(editor_client):
    response = editor_client.post(
        admin_url(Article, "add"), add_form_data(title="Đường Hồ Sen", slug="")
    )
    assert response.status_code == 302
    assert Article.objects.get().slug == "duong-ho-sen"


def test_article_added_keeps_a_slug_set_by_hand(editor_client):
    editor_client.post(
        admin_url(Article, "add"), add_form_data(title="Đường Hồ Sen", slug="ho-sen-cau-rao")
    )
    assert Article.objects.get().slug == "ho-sen-cau-rao"


def test_article_admin_search_finds_a_word_of_the_title(editor_client, make_article):
    make_article(title="Khánh thành đường Hồ Sen – Cầu Rào 2")
    make_article(title="Khai trương Aeon Mall Hải Phòng Lê Chân")
    response = editor_client.get(admin_url(Article, "changelist"), {"q": "Rào"})
    content = response.content.decode()
    assert "Khánh thành đường Hồ Sen – Cầu Rào 2" in content
    assert "Aeon Mall" not in content


def test_article_admin_search_finds_by_speaker_name(editor_client, make_article):
    speaker = Person.objects.create(name="Vũ Thanh Chương")
    make_article(title="Tham luận tại đại hội", speaker=speaker)
    make_article(title="Tin ngắn")
    response = editor_client.get(admin_url(Article, "changelist"), {"q": "Chương"})
    assert list(response.context["cl"].result_list) == list(Article.objects.filter(speaker=speaker))


def test_article_view_on_site_leads_to_its_public_page(editor_client, make_article):
    article = make_article(title="Đường Hồ Sen")
    content = editor_client.get(admin_url(Article, "change", article.pk)).content.decode()
    match = re.search(r'href="(/admin/r/\d+/\d+/)"', content)
    assert match, "no “Xem trên trang” link"
    response = editor_client.get(match.group(1))
    assert response.status_code == 302
    assert response["Location"].endswith(article.get_absolute_url())


# Numbers as Vietnamese write them, dates and times within what their columns hold.


def key_figure_form(client, article):
    """The article's change form as a browser would post it, and its key figure's prefix."""
    data = form_data(client.get(admin_url(Article, "change", article.pk)), "article_form")
    return data, "key_figures-0"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("40.843", Decimal("40843")),
        ("91,95", Decimal("91.95")),
        ("11,9", Decimal("11.9")),
        ("1.500", Decimal("1500")),
        ("-2,5", Decimal("-2.5")),
    ],
)
def test_key_figure_value_typed_the_vietnamese_way_is_stored_exactly(
    editor_client, make_article, typed, stored
):
    article = make_article()
    KeyFigure.objects.create(article=article, label="Tổng vốn đầu tư", value=Decimal("1"))
    data, prefix = key_figure_form(editor_client, article)
    data[f"{prefix}-value"] = typed
    response = editor_client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 302
    assert KeyFigure.objects.get().value == stored


def test_key_figure_value_is_shown_the_vietnamese_way_and_kept_on_save(editor_client, make_article):
    article = make_article()
    KeyFigure.objects.create(article=article, label="Tổng vốn", value=Decimal("40843.0000"))
    KeyFigure.objects.create(article=article, label="Diện tích", value=Decimal("91.95"), order=1)
    data, _ = key_figure_form(editor_client, article)
    assert (data["key_figures-0-value"], data["key_figures-1-value"]) == ("40.843", "91,95")
    assert editor_client.post(admin_url(Article, "change", article.pk), data).status_code == 302
    assert [f.value for f in KeyFigure.objects.all()] == [Decimal("40843"), Decimal("91.95")]


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("3,2,1", "Không đọc được số"),
        ("1.2.3,4,5", "Không đọc được số"),
        ("abc", "Không đọc được số"),
        ("40.84", "Không đọc được số"),
        ("1e30", "Không đọc được số"),
        ("1" + "0" * 16, "Số lớn nhất có thể lưu là 9.999.999.999.999.999,9999"),
        ("1,00001", "tối đa 4"),
    ],
)
def test_key_figure_value_that_cannot_be_read_or_kept_is_refused(
    editor_client, make_article, typed, message
):
    article = make_article()
    KeyFigure.objects.create(article=article, label="Tổng vốn đầu tư", value=Decimal("1"))
    data, prefix = key_figure_form(editor_client, article)
    data[f"{prefix}-value"] = typed
    response = editor_client.post(admin_url(Article, "change", article.pk), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert KeyFigure.objects.get().value == Decimal("1")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"event_day": str(10**30)}, "Số lớn nhất có thể lưu là 32.767"),
        ({"event_day": "40000"}, "Số lớn nhất có thể lưu là 32.767"),
        ({"event_day": "1e20"}, "Không đọc được số"),
        (
            {"published_at_0": "01/01/0001", "published_at_1": "00:00:00"},
            "Ngày giờ phải nằm trong khoảng",
        ),
        (
            {"published_at_0": "31/12/9999", "published_at_1": "23:59:00"},
            "Ngày giờ phải nằm trong khoảng",
        ),
    ],
)
def test_article_field_beyond_its_column_gets_a_vietnamese_error(editor_client, fields, message):
    data = add_form_data(title="Đường Hồ Sen", status=Article.Status.PUBLISHED, **fields)
    response = editor_client.post(admin_url(Article, "add"), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"published_at__year": "1", "published_at__month": "1", "published_at__day": "1"},
        {"published_at__year": str(10**30)},
        {"published_at__gte": "0001-01-01 00:00:00+07:00"},
        {"category__id__exact": str(10**30)},
    ],
)
def test_article_list_with_a_date_or_number_beyond_its_column_is_not_an_error(
    editor_client, make_article, query
):
    make_article()
    response = editor_client.get(admin_url(Article, "changelist"), query)
    assert response.status_code in (200, 302)


def test_event_list_with_a_year_beyond_the_calendar_is_not_an_error(editor_client):
    Event.objects.create(name="Đại hội 16 Đảng bộ thành phố")
    response = editor_client.get(admin_url(Event, "changelist"), {"start_date__year": str(10**30)})
    assert response.status_code in (200, 302)


def test_category_order_in_the_list_is_bounded_too(editor_client):
    category = Category.objects.create(name="Thời sự")
    response = editor_client.post(
        admin_url(Category, "changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(category.pk),
            "form-0-order": str(10**30),
            "_save": "Lưu",
        },
    )
    assert response.status_code == 200
    assert "Số lớn nhất có thể lưu là 32.767" in response.content.decode()


def test_key_figure_list_shows_values_the_vietnamese_way(editor_client, make_article):
    KeyFigure.objects.create(article=make_article(), label="Tổng vốn", value=Decimal("40843.0000"))
    content = editor_client.get(admin_url(KeyFigure, "changelist")).content.decode()
    assert re.search(r'<td class="field-figure">40\.843</td>', content)


@pytest.mark.parametrize("model", [Category, Tag, Person, Event], ids=lambda m: m.__name__)
def test_a_named_item_form_asks_its_name_before_its_slug(admin_client, model):
    """The slug is declared on SluggedModel (so first among the fields); the form still
    asks the name it is made from first."""
    page = admin_client.get(admin_url(model, "add")).content.decode()
    assert page.index('name="name"') < page.index('name="slug"')

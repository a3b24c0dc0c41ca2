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

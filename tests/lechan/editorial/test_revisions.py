"""History: every admin save kept with its inlines, diff against now, restore, recovery."""

from datetime import date, timedelta

import pytest
from django.db.models import F
from django.test import Client
from django.utils import timezone
from reversion.models import Version

from articles.models import Article, ArticleImage, Category, KeyFigure, Tag
from lechan.editorial import revisions
from lechan.models import Redirect
from projects.models import Project, ProjectImage, ProjectMilestone
from tests.editorial import (
    REPORTER,
    admin_url,
    client_for,
    open_change_form,
    save_change_form,
    user_in_role,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(editor):
    return client_for(Client, editor)


def article_with_inlines():
    article = Article.objects.create(
        title="Lê Chân đổi mới",
        slug="le-chan-doi-moi",
        status=Article.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=1),
        body="<p>Quận có 30 dự án lớn.</p><p>Đoạn hai.</p>",
    )
    article.tags.add(Tag.objects.create(name="Đại hội"))
    ArticleImage.objects.create(article=article, caption="Quang cảnh đại hội", position=1)
    KeyFigure.objects.create(article=article, label="Số dự án", value=30)
    return article


def edit(client, obj, **changes):
    _, data = open_change_form(client, obj)
    response = save_change_form(client, obj, data, **changes)
    assert response.status_code == 302, response.context["adminform"].form.errors
    obj.refresh_from_db()
    return obj


def versions(obj):
    return list(Version.objects.get_for_object(obj))  # newest first


def test_each_admin_save_keeps_a_revision_with_its_inlines(client_of):
    article = article_with_inlines()
    edit(client_of, article, title="Lê Chân đổi mới mạnh mẽ", **{"images-0-caption": "Toàn cảnh"})
    kept = versions(article)
    assert len(kept) == 2  # the state before the first admin save, then the save
    assert kept[1].field_dict["title"] == "Lê Chân đổi mới"
    assert kept[0].field_dict["title"] == "Lê Chân đổi mới mạnh mẽ"
    captions = {
        v.field_dict["caption"]
        for v in kept[0].revision.version_set.all()
        if v.content_type.model == "articleimage"
    }
    assert captions == {"Toàn cảnh"}
    assert kept[0].revision.user.username == "bientap"


def test_history_lists_revisions_in_vietnamese(client_of):
    article = edit(client_of, article_with_inlines(), title="Tiêu đề mới")
    content = client_of.get(admin_url(article, "history", article.pk)).content.decode()
    assert "Bấm vào thời điểm để so sánh" in content
    assert "bientap" in content
    assert content.count(f"/history/{versions(article)[0].pk}/") == 1


def test_revision_page_shows_a_field_by_field_diff(client_of):
    article = article_with_inlines()
    edit(
        client_of,
        article,
        title="Lê Chân bứt phá",
        body="<p>Quận có 32 dự án lớn.</p><p>Đoạn hai.</p>",
        **{"images-0-caption": "Toàn cảnh"},
    )
    old = versions(article)[1]
    response = client_of.get(admin_url(article, "revision", article.pk, old.pk))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<del>Lê Chân đổi mới</del>" in content and "<ins>Lê Chân bứt phá</ins>" in content
    assert "<del>30</del><ins>32</ins>" in content  # the body, word by word
    assert "Ảnh trong bài: Toàn cảnh — <strong>sửa</strong>" in content
    assert "Quang cảnh đại hội" in content
    assert "Khôi phục phiên bản này" in content


def test_restore_in_one_click_brings_back_fields_and_inlines(client_of):
    article = article_with_inlines()
    edit(client_of, article, title="Tiêu đề sai", **{"key_figures-0-DELETE": "on"})
    article.tags.clear()
    ArticleImage.objects.create(article=article, caption="Ảnh thêm nhầm")
    old = versions(article)[1]
    version_before = article.version
    response = client_of.post(admin_url(article, "revision", article.pk, old.pk), follow=True)
    assert "Đã khôi phục" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Lê Chân đổi mới"
    assert [f.label for f in article.key_figures.all()] == ["Số dự án"]
    assert [i.caption for i in article.images.all()] == ["Quang cảnh đại hội"]
    assert [t.name for t in article.tags.all()] == ["Đại hội"]
    assert article.version > version_before
    assert versions(article)[0].revision.get_comment().startswith("Khôi phục phiên bản")


def test_restoring_an_old_slug_keeps_the_newer_address_working(client, client_of):
    article = edit(client_of, article_with_inlines(), slug="le-chan-but-pha")
    old = versions(article)[1]
    client_of.post(admin_url(article, "revision", article.pk, old.pk))
    assert client.get("/tin-tuc/le-chan-doi-moi/").status_code == 200
    assert client.get("/tin-tuc/le-chan-but-pha/")["Location"] == "/tin-tuc/le-chan-doi-moi/"


def test_an_article_never_edited_in_the_admin_can_be_restored_to_its_first_state(client_of):
    article = Article.objects.create(title="Bài nạp từ dữ liệu mẫu", status=Article.Status.DRAFT)
    edit(client_of, article, title="Sửa lần đầu")
    first = versions(article)[-1]
    client_of.post(admin_url(article, "revision", article.pk, first.pk))
    article.refresh_from_db()
    assert article.title == "Bài nạp từ dữ liệu mẫu"


def test_reporter_restore_changes_text_but_never_the_state(django_user_model, client_of):
    reporter = user_in_role(django_user_model, REPORTER)
    article = Article.objects.create(title="Bản một", status=Article.Status.DRAFT, author=reporter)
    edit(client_of, article, title="Bản hai", status=Article.Status.PUBLISHED)
    edit(client_of, article, status=Article.Status.DRAFT)
    published_version = next(v for v in versions(article) if v.field_dict["status"] == "published")
    reporter_client = client_for(Client, reporter)
    reporter_client.post(admin_url(article, "revision", article.pk, versions(article)[-1].pk))
    reporter_client.post(admin_url(article, "revision", article.pk, published_version.pk))
    article.refresh_from_db()
    assert (article.title, article.status) == ("Bản hai", Article.Status.DRAFT)


def test_deleted_article_is_recovered_with_its_inlines(client_of):
    article = article_with_inlines()
    pk = article.pk
    client_of.post(admin_url(article, "delete", pk), {"post": "yes"})
    assert not Article.objects.filter(pk=pk).exists()
    recover_list = client_of.get(admin_url(Article, "recoverlist")).content.decode()
    assert "Lê Chân đổi mới" in recover_list
    deleted = Version.objects.get_deleted(Article).get()
    page = client_of.get(admin_url(Article, "recover", deleted.pk)).content.decode()
    assert "Khôi phục bài viết này" in page
    client_of.post(admin_url(Article, "recover", deleted.pk))
    article = Article.objects.get(pk=pk)
    assert article.title == "Lê Chân đổi mới"
    assert [i.caption for i in article.images.all()] == ["Quang cảnh đại hội"]
    assert [t.name for t in article.tags.all()] == ["Đại hội"]
    assert article.key_figures.count() == 1


def test_articles_deleted_in_bulk_can_be_recovered(client_of, make_article):
    articles = [make_article(title=f"Bài {n}") for n in range(3)]
    client_of.post(
        admin_url(Article, "changelist"),
        {"action": "delete_selected", "_selected_action": [a.pk for a in articles], "post": "yes"},
    )
    assert not Article.objects.exists()
    for deleted in Version.objects.get_deleted(Article):
        client_of.post(admin_url(Article, "recover", deleted.pk))
    assert sorted(Article.objects.values_list("title", flat=True)) == ["Bài 0", "Bài 1", "Bài 2"]


def test_list_offers_recovery_of_deleted_articles(client_of):
    content = client_of.get(admin_url(Article, "changelist")).content.decode()
    assert "Khôi phục bài viết đã xóa" in content


def test_project_restore_brings_back_milestones(client_of):
    project = Project.objects.create(name="Đường Hồ Sen – Cầu Rào 2")
    ProjectMilestone.objects.create(
        project=project, status=Project.Status.STALLED, note="Chậm 26 năm", date=date(2019, 1, 1)
    )
    edit(client_of, project, name="Đường mới", **{"milestones-0-DELETE": "on"})
    assert not project.milestones.exists()
    client_of.post(admin_url(project, "revision", project.pk, versions(project)[1].pk))
    project.refresh_from_db()
    assert project.name == "Đường Hồ Sen – Cầu Rào 2"
    assert [m.note for m in project.milestones.all()] == ["Chậm 26 năm"]


def test_deleted_project_is_recovered_with_its_milestones(client, client_of):
    project = Project.objects.create(name="Đường Hồ Sen – Cầu Rào 2", slug="duong-ho-sen")
    ProjectMilestone.objects.create(
        project=project, status=Project.Status.STALLED, note="Chậm 26 năm", date=date(2019, 1, 1)
    )
    ProjectMilestone.objects.create(
        project=project, status=Project.Status.COMPLETED, note="Thông xe"
    )
    ProjectImage.objects.create(project=project, caption="Phối cảnh")
    pk = project.pk
    client_of.post(admin_url(project, "delete", pk), {"post": "yes"})
    assert not Project.objects.filter(pk=pk).exists()
    recover_list = client_of.get(admin_url(Project, "recoverlist")).content.decode()
    assert "Đường Hồ Sen – Cầu Rào 2" in recover_list
    deleted = Version.objects.get_deleted(Project).get()
    client_of.post(admin_url(Project, "recover", deleted.pk))
    project = Project.objects.get(pk=pk)
    assert project.name == "Đường Hồ Sen – Cầu Rào 2"
    assert sorted(m.note for m in project.milestones.all()) == ["Chậm 26 năm", "Thông xe"]
    assert [i.caption for i in project.images.all()] == ["Phối cảnh"]
    assert client.get("/du-an/duong-ho-sen/").status_code == 200


# An article's or a project's old address taken by another item since: (model, its name field,
# its address prefix, what an editor calls it).
ITEMS = {
    "article": (Article, "title", "/tin-tuc/", "bài viết"),
    "project": (Project, "name", "/du-an/", "dự án"),
}


def make_item(kind, name, slug, public=True):
    model, name_field, _, _ = ITEMS[kind]
    if model is Project:
        return Project.objects.create(name=name, slug=slug, is_published=public)
    status = Article.Status.PUBLISHED if public else Article.Status.DRAFT
    published_at = timezone.now() - timedelta(days=1) if public else None
    return Article.objects.create(title=name, slug=slug, status=status, published_at=published_at)


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.mark.parametrize("kind", ITEMS)
def test_restore_keeps_the_current_address_when_the_old_one_is_now_another_items(
    kind, client, client_of
):
    model, name_field, prefix, what = ITEMS[kind]
    # Moved while not public, so its first address was left free, and another item took it.
    item = make_item(kind, "Khánh thành đường Hồ Sen", "khanh-thanh", public=False)
    edit(client_of, item, **{name_field: "Khánh thành tuyến mới", "slug": "tuyen-moi"})
    other = make_item(kind, "Khánh thành cầu Rào", "khanh-thanh")
    first = versions(item)[-1]
    response = client_of.post(admin_url(item, "revision", item.pk, first.pk), follow=True)
    assert response.status_code == 200
    assert messages_of(response)[-1] == (
        f"Đường dẫn “khanh-thanh” của phiên bản này nay thuộc về một mục khác, nên {what} "
        "giữ đường dẫn hiện tại “tuyen-moi”."
    )
    item.refresh_from_db()
    assert (getattr(item, name_field), item.slug) == ("Khánh thành đường Hồ Sen", "tuyen-moi")
    other.refresh_from_db()
    assert other.slug == "khanh-thanh"
    assert client.get(f"{prefix}khanh-thanh/").status_code == 200
    assert not Redirect.objects.exists()


def test_restore_keeps_the_current_address_when_the_old_one_leads_to_another_item(
    client, client_of
):
    item = make_item("article", "Bài một", "bai", public=False)
    edit(client_of, item, slug="bai-mot")
    other = make_item("article", "Bài hai", "bai")
    other.slug = "bai-hai"
    other.save()  # "bai" is now the other's old address
    client_of.post(admin_url(item, "revision", item.pk, versions(item)[-1].pk))
    item.refresh_from_db()
    assert item.slug == "bai-mot"
    assert client.get("/tin-tuc/bai/")["Location"] == "/tin-tuc/bai-hai/"
    assert client.get("/tin-tuc/bai-mot/").status_code == 404  # a draft, not moved


@pytest.mark.parametrize("kind", ITEMS)
def test_deleted_item_whose_address_was_taken_is_recovered_at_a_free_one(kind, client, client_of):
    model, name_field, prefix, what = ITEMS[kind]
    item = make_item(kind, "Khánh thành đường Hồ Sen", "khanh-thanh-duong")
    edit(client_of, item, slug="khanh-thanh")  # its first address now leads to the second
    pk = item.pk
    client_of.post(admin_url(item, "delete", pk), {"post": "yes"})
    other = make_item(kind, "Khánh thành cầu Rào", "khanh-thanh")
    deleted = Version.objects.get_deleted(model).get()
    response = client_of.post(admin_url(model, "recover", deleted.pk), follow=True)
    assert response.status_code == 200
    assert messages_of(response)[-1] == (
        f"Đường dẫn cũ “khanh-thanh” nay thuộc về một mục khác, nên {what} được khôi phục "
        "với đường dẫn mới “khanh-thanh-2”."
    )
    item = model.objects.get(pk=pk)
    assert (getattr(item, name_field), item.slug) == ("Khánh thành đường Hồ Sen", "khanh-thanh-2")
    other.refresh_from_db()
    assert other.slug == "khanh-thanh"
    assert "Khánh thành cầu Rào" in client.get(f"{prefix}khanh-thanh/").content.decode()
    assert "Khánh thành đường Hồ Sen" in client.get(f"{prefix}khanh-thanh-2/").content.decode()
    # Its first address leads to it, not to the other item; no address leads to itself.
    assert client.get(f"{prefix}khanh-thanh-duong/")["Location"] == f"{prefix}khanh-thanh-2/"
    assert not Redirect.objects.filter(old_path=F("new_path")).exists()


def test_a_diff_lists_fields_in_the_order_of_the_admin_form():
    names = [f.name for f in revisions.editable_fields(ArticleImage)]
    assert names == ["article", "image", "caption", "alt_text", "credit", "position", "order"]
    assert [f.name for f in revisions.editable_fields(Category)] == [
        "name",
        "slug",
        "description",
        "order",
    ]
    # No fields declared in the admin (it has fieldsets): the model's order.
    assert [f.name for f in revisions.editable_fields(Article)][:4] == [
        "title",
        "slug",
        "kind",
        "status",
    ]


def test_what_another_editor_changed_reads_in_the_order_of_the_form():
    before = {"caption": "Cũ", "alt_text": "Mô tả cũ", "credit": "Lan", "position": 1}
    after = {"caption": "Mới", "alt_text": "Mô tả mới", "credit": "Minh", "position": 2}
    labels = [change.label for change in revisions.field_changes(ArticleImage, before, after)]
    assert labels == ["Chú thích", "Văn bản thay thế", "Tác giả ảnh", "Vị trí trong bài"]


def test_a_model_declares_its_hidden_and_html_fields(monkeypatch):
    description = Project._meta.get_field("description")
    assert revisions.display(description, "<p>Một</p><p>Hai</p>") == "<p>Một</p><p>Hai</p>"
    monkeypatch.setattr(Project, "html_fields", ("description",), raising=False)
    assert revisions.display(description, "<p>Một</p><p>Hai</p>") == "Một\nHai"
    assert "investor" in [f.name for f in revisions.editable_fields(Project)]
    hidden = (*Project.revision_hidden_fields, "investor")
    monkeypatch.setattr(Project, "revision_hidden_fields", hidden, raising=False)
    assert "investor" not in [f.name for f in revisions.editable_fields(Project)]

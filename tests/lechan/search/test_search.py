"""The search service, run on whichever database DATABASE_URL names (CI runs both)."""

import unicodedata
from datetime import timedelta

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.state import ProjectState
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from lechan import search
from lechan.search.operations import CreateSearchIndex
from projects.models import Project

pytestmark = pytest.mark.django_db


def titles(queryset):
    return [a.title for a in queryset]


def migrate_index(editor, model):
    """Run the operation of the model's index migration again, as on an existing index."""
    state = ProjectState.from_apps(apps)
    operation = CreateSearchIndex(model.__name__)
    operation.database_forwards(model._meta.app_label, editor, state, state)


@pytest.fixture
def corpus(make_article, make_project):
    make_article(title="Đổi mới phương thức lãnh đạo", lead="Quận Lê Chân khai thác nguồn lực.")
    make_article(title="Khánh thành đường Hồ Sen – Cầu Rào 2", body="<p>Đường dài 26 năm.</p>")
    make_article(title="Trung tâm thương mại Aeon Mall", lead="Đường Nguyễn Văn Linh sôi động.")
    make_project(name="Đường Hồ Sen – Cầu Rào 2", summary="Hoàn thành sau 26 năm.")
    make_project(name="Khách sạn 5 sao Nikko")


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("ho sen cau rao", ["Khánh thành đường Hồ Sen – Cầu Rào 2"]),
        ("Hồ Sen", ["Khánh thành đường Hồ Sen – Cầu Rào 2"]),
        ("HỒ SEN", ["Khánh thành đường Hồ Sen – Cầu Rào 2"]),
        (unicodedata.normalize("NFD", "hồ sen"), ["Khánh thành đường Hồ Sen – Cầu Rào 2"]),
        ("doi moi", ["Đổi mới phương thức lãnh đạo"]),
        ("le chan nguon luc", ["Đổi mới phương thức lãnh đạo"]),
        ('"cau rao"', ["Khánh thành đường Hồ Sen – Cầu Rào 2"]),
        ('"rao cau"', []),
        ("duong -aeon", ["Khánh thành đường Hồ Sen – Cầu Rào 2"]),
        ('duong -"hồ sen"', ["Trung tâm thương mại Aeon Mall"]),
    ],
)
def test_search_folds_vietnamese_and_understands_phrases_and_exclusions(corpus, q, expected):
    assert sorted(titles(search.search(Article.objects.all(), q))) == sorted(expected)


def test_duong_finds_every_duong(corpus):
    found = titles(search.search(Article.objects.all(), "duong"))
    assert len(found) == 2
    assert "Đổi mới phương thức lãnh đạo" not in found


def test_search_works_on_projects_with_the_same_folding(corpus):
    found = search.search(Project.objects.all(), "ho sen cau rao")
    assert [p.name for p in found] == ["Đường Hồ Sen – Cầu Rào 2"]


def test_title_ranks_above_lead_above_body(make_article):
    body = make_article(title="Tin một", body="<p>Nikko khai trương.</p>")
    lead = make_article(title="Tin hai", lead="Nikko khai trương.")
    title = make_article(title="Nikko khai trương")
    ranked = search.search(Article.objects.all(), "nikko").order_by("-search_rank")
    assert list(ranked) == [title, lead, body]


def test_newer_wins_a_tie(make_article):
    old = make_article(title="Aeon Mall", published_at=timezone.now() - timedelta(days=3))
    new = make_article(title="Aeon Mall")
    response_rows = search.search(Article.objects.all(), "aeon").order_by(
        "-search_rank", "-published_at"
    )
    assert list(response_rows) == [new, old]


def test_an_index_table_left_empty_by_its_migration_is_filled_after_migrate(make_article):
    article = make_article(title="Minato khởi công")
    (table, _), *_ = search.backend_for().tables(Article).values()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
    search.on_post_migrate(sender=None)
    found = search.best(Article.objects.all(), search.parse("minato"), 5)
    assert [(a.pk, a.search_rank) for a in found] == [(article.pk, 3)]


def test_index_follows_saves_and_deletes(make_article):
    def exact(q):
        return titles(search.search(Article.objects.all(), q, loose_fallback=False))

    article = make_article(title="Tên cũ")
    assert exact("ten cu") == ["Tên cũ"]
    article.title = "Tên mới"
    article.save()
    assert exact("ten cu") == []
    assert exact("ten moi") == ["Tên mới"]
    article.delete()
    assert exact("ten moi") == []


def test_rebuild_command_restores_a_cleared_index(make_article):
    make_article(title="Vinhomes Marina")
    search.backend_for().clear(Article)
    assert not search.search(Article.objects.all(), "vinhomes", loose_fallback=False).exists()
    call_command("rebuild_search_index", verbosity=0)
    assert search.search(Article.objects.all(), "vinhomes").exists()


def test_seed_fixture_is_searchable_after_loaddata():
    call_command("loaddata", "lechan", verbosity=0)
    assert search.search(Project.objects.all(), "ho sen cau rao").get().slug == (
        "duong-ho-sen-cau-rao-2"
    )
    assert search.search(Article.objects.all(), "le trung kien").count() == 1


@pytest.mark.parametrize(
    "q",
    [
        '"',
        '"unbalanced',
        "NOT AND OR",
        "ho*",
        "title:abc",
        "(((",
        "a\x00b",
        "'; DROP TABLE articles_article; --",
        "x" * 5000,
        " ".join(["tu"] * 400),
        "NEAR(ho sen)",
        "^ho",
        "!!! & | <-> :*",
        "-",
        "--",
        '-"',
    ],
)
def test_any_input_is_safe(corpus, client, q):
    list(search.search(Article.objects.all(), q))
    for name in ("search", "articles:list", "projects:list"):
        assert client.get(reverse(name), {"q": q}).status_code == 200


def test_a_query_that_only_excludes_changes_nothing(corpus):
    assert search.search(Article.objects.all(), "-aeon").count() == Article.objects.count()


@pytest.mark.parametrize(
    ("q", "terms", "phrases", "excluded"),
    [
        ("Hồ Sen", ["ho", "sen"], [], []),
        ('"cầu rào" -aeon', [], [["cau", "rao"]], ["aeon"]),
        ('-"hồ sen" đường', ["duong"], [], ["ho", "sen"]),
        ("Đ-Đ", ["d", "d"][:1], [], []),
        ('"một"', ["mot"], [], []),
        ("a\x00b", ["a", "b"], [], []),
    ],
)
def test_parse(q, terms, phrases, excluded):
    parsed = search.parse(q)
    assert (parsed.terms, parsed.phrases, parsed.excluded) == (terms, phrases, excluded)


def test_highlight_marks_matches_in_the_original_vietnamese():
    snippet = search.highlight(
        "Dự án đường Hồ Sen-Cầu Rào 2 đã hoàn thành.", search.parse("ho sen")
    )
    assert snippet == "Dự án đường <mark>Hồ Sen</mark>-Cầu Rào 2 đã hoàn thành."


@pytest.mark.parametrize(
    "text, q, marked",
    [
        ("ĐƯỜNG Hồ Sen", "duong", "<mark>ĐƯỜNG</mark> Hồ Sen"),
        ("Cải tạo đường ngõ", "Đường", "Cải tạo <mark>đường</mark> ngõ"),
        ("Dự án 2020 và 20200", "2020", "Dự án <mark>2020</mark> và 20200"),
        ("Hồ Sen_2 Sena", "sen", "Hồ <mark>Sen</mark>_2 Sena"),  # "_" parts words, as in the index
        ("sến và sen", "sen", "<mark>sến</mark> và <mark>sen</mark>"),
    ],
)
def test_highlight_matches_whole_words_in_any_vietnamese_form(text, q, marked):
    assert search.highlight(text, search.parse(q)) == marked


def test_highlight_keeps_decomposed_text_whole():
    # NFD text: a tone mark is its own character and folds to nothing, so offsets shift.
    text = unicodedata.normalize("NFD", "Dự án đường Hồ Sen đã xong")
    snippet = search.highlight(text, search.parse("ho sen"))
    assert unicodedata.normalize("NFC", snippet) == "Dự án đường <mark>Hồ Sen</mark> đã xong"


def test_highlight_escapes_html_and_centres_on_the_match():
    text = "<p>" + "chữ " * 200 + "Aeon <b>Mall</b> &amp; " + "chữ " * 200 + "</p>"
    snippet = search.highlight(text, search.parse("aeon"), length=100)
    assert "<mark>Aeon</mark> Mall &amp;amp;" not in snippet
    assert "<mark>Aeon</mark> Mall &amp;" in snippet
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert "<b>" not in snippet


def test_site_search_shows_counts_per_type_and_highlights(corpus, client):
    response = client.get(reverse("search"), {"q": "ho sen"})
    assert response.context["counts"] == {"articles": 1, "projects": 1}
    page = response.content.decode()
    assert "Bài viết (1)" in page and "Dự án (1)" in page
    assert "<mark>Hồ Sen</mark>" in page


def test_site_search_scope_and_pagination_keep_the_query(make_article, client):
    for n in range(25):
        make_article(title=f"Aeon Mall tin số {n}")
    response = client.get(reverse("search"), {"q": "aeon", "loai": "bai-viet"})
    assert response.context["paginator"].count == 25
    assert len(response.context["results"]) == 20
    assert "q=aeon&amp;loai=bai-viet&amp;page=2" in response.content.decode()
    second = client.get(reverse("search"), {"q": "aeon", "loai": "bai-viet", "page": 2})
    assert len(second.context["results"]) == 5


@pytest.mark.parametrize(
    "params, queries",
    [
        # For each kind a capped count (matches in the full-text table, then those
        # published), then its best rows: the title tier's matches, then their rows. A
        # later page reads ids and dates, then fetches its own rows.
        ({}, 8),
        ({"page": 2}, 10),
        ({"loai": "bai-viet"}, 6),
    ],
)
def test_site_search_runs_the_same_queries_whatever_the_number_of_matches(
    make_article, make_project, client, django_assert_max_num_queries, params, queries, settings
):
    settings.LECHAN_FRAGMENT_CACHE_SECONDS = 0  # the search itself, not its cached results
    for n in range(45):
        make_article(title=f"Minato {n}")
        make_project(name=f"Chung cư Minato {n}")
    with django_assert_max_num_queries(queries):
        client.get(reverse("search"), {"q": "minato", **params})
    for n in range(45, 90):
        make_article(title=f"Minato {n}")
    with django_assert_max_num_queries(queries):
        client.get(reverse("search"), {"q": "minato", **params})


def test_site_search_results_come_from_the_cache_until_the_content_changes(
    make_article, client, django_assert_num_queries
):
    make_article(title="Minato khởi công")
    first = client.get(reverse("search"), {"q": "minato"}).content.decode()
    with django_assert_num_queries(0):
        again = client.get(reverse("search"), {"q": "minato"}).content.decode()
    assert again == first and "khởi công" in again
    make_article(title="Minato cất nóc")
    assert "cất nóc" in client.get(reverse("search"), {"q": "minato"}).content.decode()
    other_page = client.get(reverse("search"), {"q": "minato", "loai": "du-an"})
    assert "Minato" not in "".join(r["title"] for r in other_page.context["results"])


@pytest.mark.parametrize(
    "dense, walk",
    [
        (search.Backend.DENSE, search.Backend.WALK),  # few matches per tier: each read by id
        (10, 1000),  # more: each tier joined and sorted
        (10, 0),  # many more: each walked in date order, probing the index
    ],
)
@pytest.mark.parametrize("drafts", [0, 60])
@pytest.mark.parametrize("limit", [1, 20, 130])
def test_best_matches_agree_with_ranking_every_match(
    make_article, monkeypatch, limit, drafts, dense, walk
):
    """search.best reads only the head of the ranking; it must be the full ranking's head.

    With drafts, the best ranked matches are not in the queryset; without, 50 equal
    ranks per tier straddle the cuts and only the dates order them.
    """
    monkeypatch.setattr(search.Backend, "DENSE", dense)
    monkeypatch.setattr(search.Backend, "WALK", walk)
    now = timezone.now()
    for _ in range(drafts):
        make_article(title="Minato Minato", body="<p>Minato Minato</p>", status="draft")
    for n in range(150):
        column = ("title", "lead", "body")[n % 3]
        make_article(
            **{"title": f"Tin {n}", column: "Minato" if column != "body" else "<p>Minato</p>"},
            published_at=now - timedelta(minutes=n * 37 % 150),
        )
    queryset = Article.objects.published().order_by("-published_at", "-pk")
    query = search.parse("minato")
    expected = search.exact(queryset, query).order_by("-search_rank", "-published_at", "-pk")
    best = search.best(queryset, query, limit)
    assert [a.pk for a in best] == [a.pk for a in expected[:limit]]
    assert [a.search_rank for a in best] == [a.search_rank for a in expected[:limit]]


@pytest.mark.parametrize("given", [False, True])  # the keys of every match, or read
@pytest.mark.parametrize("drafts", [0, 30])
def test_ranked_keys_are_any_slice_of_ranking_every_match(make_article, drafts, given):
    """Slices from every tier, across each cut between tiers, and past the end."""
    for _ in range(drafts):  # matches in every tier that the queryset leaves out
        make_article(title="Minato", lead="Minato", body="<p>Minato</p>", status="draft")
    now = timezone.now()
    for n in range(90):
        column = ("title", "lead", "body")[n % 3]
        make_article(
            **{"title": f"Tin {n}", column: "Minato" if column != "body" else "<p>Minato</p>"},
            published_at=now - timedelta(minutes=n * 37 % 90),
        )
    queryset = Article.objects.published().order_by("-published_at", "-pk")
    query = search.parse("minato")
    ranked = search.exact(queryset, query).order_by("-search_rank", "-published_at", "-pk")
    expected = list(ranked.values_list("pk", flat=True))
    matched = search.keys(Article, query) if given else None
    for start, stop in [(0, 7), (25, 35), (29, 31), (30, 60), (55, 95), (88, 120), (95, 99)]:
        keys = search.ranked_keys(queryset, query, start, stop, matched=matched)
        assert keys == expected[start:stop], (start, stop)


@pytest.mark.parametrize("cap", [0, 3, 7, 8, 100])
def test_capped_count_counts_the_querysets_matches_up_to_one_past_the_cap(make_article, cap):
    for n in range(12):  # 8 published: batches of ids cross the drafts
        make_article(title=f"Minato {n}", **({"status": "draft"} if n % 3 == 0 else {}))
    make_article(title="Aeon")
    count = search.count(Article.objects.published(), search.parse("minato"), cap)
    assert count == min(8, cap + 1)


def test_site_search_pages_share_one_order(make_article, make_project, client):
    for n in range(25):
        make_article(title=f"Minato {n}", body=f"<p>{'Minato ' * (n % 4)}</p>")
        make_project(name=f"Chung cư Minato {n}")
    pages = [
        [
            r["object"]
            for r in client.get(reverse("search"), {"q": "minato", "page": p}).context["results"]
        ]
        for p in (1, 2, 3)
    ]
    seen = [(type(obj).__name__, obj.pk) for page in pages for obj in page]
    assert [len(page) for page in pages] == [20, 20, 10]
    assert len(set(seen)) == 50


def test_site_search_never_shows_unpublished_items(make_article, make_project, client):
    make_article(title="Agape nháp", status=Article.Status.DRAFT)
    make_article(title="Agape hẹn giờ", published_at=timezone.now() + timedelta(hours=2))
    make_project(name="Agape ẩn", is_published=False)
    response = client.get(reverse("search"), {"q": "agape"})
    assert response.context["results"] == []
    assert "Không tìm thấy kết quả nào" in response.content.decode()


def test_a_typo_still_finds_on_the_loose_fallback(make_project):
    make_project(name="Khu đô thị Vinhomes Marina")
    found = search.search(Project.objects.all(), "vinhome")
    assert [p.name for p in found] == ["Khu đô thị Vinhomes Marina"]


@pytest.mark.postgres
def test_postgresql_fills_the_tier_vectors_of_an_index_from_before_the_tiers(make_article):
    article = make_article(title="Minato khởi công", lead="Khu đô thị Minato.")
    table = search.table_name(Article)
    with connection.cursor() as cursor:
        cursor.execute(f"ALTER TABLE {table} DROP COLUMN title_vector")
        cursor.execute(f"UPDATE {table} SET title_lead_vector = NULL")
    with connection.schema_editor() as editor:
        migrate_index(editor, Article)
    query = search.parse("minato")
    assert [(a.pk, a.search_rank) for a in search.best(Article.objects.all(), query, 5)] == [
        (article.pk, 3)
    ]
    lead_only = search.best(Article.objects.all(), search.parse("khu do thi"), 5)
    assert [(a.pk, a.search_rank) for a in lead_only] == [(article.pk, 2)]


@pytest.mark.postgres
def test_postgresql_keeps_long_values_of_the_index_out_of_its_rows(make_article):
    """The rows read to find the ids of many matches hold little more than the ids."""
    body = " ".join(str(n * 7919 % 100_003) for n in range(160))  # ~1 KB, hardly compressible
    article = make_article(title="Minato", body=f"<p>{body}</p>")
    table = search.table_name(Article)
    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pageinspect")  # undone with the test
        cursor.execute(f"SELECT ctid::text FROM {table} WHERE id = %s", [article.pk])
        page, line = map(int, cursor.fetchone()[0].strip("()").split(","))
        cursor.execute(
            "SELECT lp_len FROM heap_page_items(get_raw_page(%s, %s)) WHERE lp = %s",
            [table, page, line],
        )
        # By its own rule PostgreSQL keeps rows under 2 KB whole (this one: ~1.1 KB).
        assert cursor.fetchone()[0] < 400


@pytest.mark.postgres
def test_postgresql_trigram_fallback_forgives_a_misspelt_word(make_project):
    make_project(name="Chung cư Minato")
    assert connection.vendor == "postgresql"
    assert [p.name for p in search.search(Project.objects.all(), "minatoo")] == ["Chung cư Minato"]


def test_admin_search_folds_vietnamese(editor_client, make_article):
    make_article(title="Tham luận của đồng chí Lê Trung Kiên")
    make_article(title="Tin khác")
    response = editor_client.get(
        reverse("admin:articles_article_changelist"), {"q": "le trung kien"}
    )
    assert response.status_code == 200
    assert [a.title for a in response.context["cl"].result_list] == [
        "Tham luận của đồng chí Lê Trung Kiên"
    ]


def test_keys_are_every_matching_rows_published_or_not(make_article):
    found = make_article(title="Khu đô thị Minato")
    draft = make_article(title="Minato nháp", status=Article.Status.DRAFT)
    make_article(title="Hội nghị")
    assert sorted(search.keys(Article, search.parse("minato"))) == [found.pk, draft.pk]
    assert search.keys(Article, search.parse("khong co dau")) == []
    assert search.keys(Article, search.parse("minat"), loose=True) != []


@pytest.mark.postgres
def test_postgresql_keys_leave_the_planner_as_they_found_it(make_article):
    make_article(title="Khu đô thị Minato")
    with transaction.atomic(), connection.cursor() as cursor:
        search.keys(Article, search.parse("minato"))
        cursor.execute("SHOW enable_seqscan")
        assert cursor.fetchone()[0] == "on"

"""The index's interface and its schema: the backends fill in the base class, and the
index's tables come from migrations that an existing index passes through unchanged."""

import pytest
from django.core.management import call_command
from django.db import connection

from articles.models import Article
from lechan import search
from lechan.search.backends import BACKENDS


def test_each_backend_implements_every_abstract_method_of_the_base():
    for backend in BACKENDS.values():
        assert issubclass(backend, search.Backend)
        assert not backend.__abstractmethods__, backend
        backend(connection)  # an abstract method left out would refuse this


def test_every_registered_model_has_its_index_after_migrate(db):
    backend = search.backend_for()
    assert search.registered_models()
    for model in search.registered_models():
        assert backend.exists(model), model


def rows(model):
    with connection.cursor() as cursor:
        counts = []
        for table, _ in search.backend_for().tables(model).values():
            cursor.execute(f"SELECT count(*) FROM {table}")
            counts.append(cursor.fetchone()[0])
        return counts


@pytest.mark.django_db(transaction=True)
def test_an_index_made_before_its_migration_is_kept_and_a_second_migrate_changes_nothing(
    make_article,
):
    article = make_article(title="Minato khởi công")
    backend = search.backend_for()
    try:
        call_command("migrate", "articles", "0006", verbosity=0)
        assert not backend.exists(Article)
        # As the search service made it at every migrate before the index had a migration.
        with connection.cursor() as cursor:
            for sql in backend.create_statements(Article):
                cursor.execute(sql)
        search.rebuild(Article)
    finally:
        call_command("migrate", verbosity=0)
    assert rows(Article) == [1] * len(backend.tables(Article))
    call_command("migrate", verbosity=0)
    assert rows(Article) == [1] * len(backend.tables(Article))
    found = search.best(Article.objects.all(), search.parse("minato"), 5)
    assert [(a.pk, a.search_rank) for a in found] == [(article.pk, 3)]


@pytest.mark.django_db(transaction=True)
def test_migrating_back_drops_the_index_and_forward_makes_and_fills_it(make_article):
    article = make_article(title="Minato khởi công")
    backend = search.backend_for()
    try:
        call_command("migrate", "articles", "0006", verbosity=0)
        assert not backend.exists(Article)
    finally:
        call_command("migrate", verbosity=0)
    assert backend.exists(Article)
    assert [a.pk for a in search.search(Article.objects.all(), "minato")] == [article.pk]

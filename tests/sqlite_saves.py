"""Two editors save two articles in the admin at the same moment, on a SQLite file.

Run by tests/test_sqlite_concurrency.py in a process of its own, since the suite's
database is not a file: `python -m tests.sqlite_saves` with DATABASE_URL=sqlite:///….
Both editors' saves wait for each other once they have read their article, so that
their transactions overlap; it prints the two answers' status codes as JSON.
"""

import contextlib
import json
import threading

import django

BARRIER_SECONDS = 2  # well under the database's busy timeout


def save_at_once(articles, editors):
    from django.contrib import admin
    from django.db import connection
    from django.test import Client

    from articles.models import Article
    from tests.editorial import open_change_form, save_change_form

    model_admin = admin.site._registry[Article]
    save_model = model_admin.save_model
    both_read = threading.Barrier(len(articles), timeout=BARRIER_SECONDS)

    def meet_then_save(*args, **kwargs):
        # A broken barrier: the other save waits for this one's transaction to end.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_read.wait()
        return save_model(*args, **kwargs)

    forms = []
    for article, editor in zip(articles, editors, strict=True):
        client = Client()
        client.force_login(editor)
        forms.append((client, article, open_change_form(client, article)[1]))
    model_admin.save_model = meet_then_save
    answers = [None] * len(forms)

    def save(index):
        client, article, data = forms[index]
        try:
            response = save_change_form(client, article, data, lead=f"Sapo {index}")
            answers[index] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(len(forms))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def main():
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import setup_test_environment

    from articles.models import Article

    setup_test_environment()
    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    editors = [users.create_superuser(f"bientap{i}", f"b{i}@example.com", "x") for i in (1, 2)]
    articles = [Article.objects.create(title=f"Bài {i}", lead="Sapo") for i in (1, 2)]
    answers = save_at_once(articles, editors)
    leads = sorted(Article.objects.values_list("lead", flat=True))
    with connection.cursor() as cursor:
        journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
    print(json.dumps({"status": answers, "leads": leads, "journal": journal}))


if __name__ == "__main__":
    main()

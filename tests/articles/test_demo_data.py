"""generate_demo_data: realistic rows for benchmarks, never mixed with the seed."""

from django.core.management import call_command

from articles.models import Article
from lechan import search
from projects.models import Project


def test_demo_data_fills_articles_projects_tags_and_links_and_clears_them(db):
    call_command("generate_demo_data", articles=60, projects=10, verbosity=0)
    articles = Article.objects.filter(slug__startswith="demo-")
    assert articles.count() == 60
    assert Project.objects.filter(slug__startswith="demo-").count() == 10
    assert Article.tags.through.objects.filter(article__in=articles).exists()
    assert Article.projects.through.objects.filter(article__in=articles).exists()
    # The index follows: folded words find the generated Vietnamese text.
    assert search.search(Article.objects.all(), "quan").exists()
    call_command("generate_demo_data", articles=0, projects=0, clear=True, verbosity=0)
    assert not Article.objects.filter(slug__startswith="demo-").exists()
    assert not Project.objects.filter(slug__startswith="demo-").exists()

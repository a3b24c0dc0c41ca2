# The search index of articles, made by the migration rather than at every migrate. A
# database whose index was made before (by the search service itself) keeps it as it is.

from django.db import migrations

from lechan.search.operations import CreateSearchIndex


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0006_article_public_slug"),
    ]

    operations = [
        CreateSearchIndex("Article"),
    ]

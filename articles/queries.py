"""Article queries beyond the publication rule: the year facet and "Tin khác" (other news)."""

from datetime import datetime, timedelta

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Substr
from django.db.models.lookups import GreaterThanOrEqual
from django.utils import timezone

from articles.models import Article
from projects.models import Project

OTHER_NEWS_COUNT = 6
YEAR_FACETS = 30


def published_years():
    """The local years of the published articles, newest first, at most YEAR_FACETS.

    Read from the publication index's two ends, whatever the filters: a year the
    filters leave empty is simply not shown.
    """
    dates = Article.objects.published().values("published_at")
    # Two seeks in one query: MIN and MAX together would read the whole index on SQLite.
    ends = Article.objects.order_by().values_list(
        Subquery(dates.order_by("published_at")[:1]),
        Subquery(dates.order_by("-published_at")[:1]),
    )
    first, last = ends.first() or (None, None)
    if first is None:
        return []
    first, last = timezone.localtime(first).year, timezone.localtime(last).year
    return list(range(last, first - 1, -1)[:YEAR_FACETS])


def year_of(field, years):
    """The local year of `field` (null, or a year not in `years`, for the rest).

    SQLite would extract a zoned year with a Python function called on every row, so
    it gets string arithmetic on the stored UTC text when every new year in `years`
    falls at the same UTC offset (Hải Phòng's: +7 since 1975), else plain comparisons.
    """
    tz = timezone.get_current_timezone()
    new_years = [*years, years[0] + 1] if years else []  # newest first
    offsets = {datetime(year, 1, 1, tzinfo=tz).utcoffset() for year in new_years}
    if connection.vendor == "sqlite" and len(offsets) == 1:
        return _sqlite_local_year(field, offsets.pop())
    return Case(
        *[
            When(
                **{
                    f"{field}__gte": datetime(year, 1, 1, tzinfo=tz),
                    f"{field}__lt": datetime(year + 1, 1, 1, tzinfo=tz),
                },
                then=Value(year),
            )
            for year in years
        ],
        default=None,
        output_field=IntegerField(),
    )


def _sqlite_local_year(field, offset):
    """The UTC year from "YYYY-MM-DD HH:MM:SS…", moved by one past the local new year."""
    utc_year = Cast(Substr(field, 1, 4), IntegerField())
    if not offset:
        return utc_year
    # Local midnight on 1 January, in UTC, as "MM-DD HH:MM:SS" (the year does not matter).
    boundary = Value((datetime(2001, 1, 1) - offset).strftime("%m-%d %H:%M:%S"))
    after = GreaterThanOrEqual(Substr(field, 6), boundary)
    if offset > timedelta(0):  # from 31 December (UTC) on, it is next year here
        return utc_year + Case(When(after, then=Value(1)), default=Value(0))
    return utc_year - Case(When(after, then=Value(0)), default=Value(1))


def other_articles(article, count=OTHER_NEWS_COUNT):
    """ "Tin khác": related articles first (category, speaker or project), then the latest."""
    related = Q(pk__in=[])
    if article.category_id:
        related |= Q(category_id=article.category_id)
    if article.speaker_id:
        related |= Q(speaker_id=article.speaker_id)
    shares_project = Article.projects.through.objects.filter(
        article_id=OuterRef("pk"),
        project_id__in=Project.objects.filter(articles=article.pk).values("pk"),
    )
    return (
        Article.objects.published()
        .for_cards()
        .exclude(pk=article.pk)
        .annotate(
            # Case, not a bare condition: NULL comparisons would sort first on PostgreSQL.
            is_related=Case(
                When(related | Exists(shares_project), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            )
        )
        .order_by("-is_related", "-published_at", "-pk")[:count]
    )

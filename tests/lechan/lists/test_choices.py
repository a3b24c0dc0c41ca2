"""The select boxes of the list filters: their options read together, in one query."""

from collections import Counter
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.filters import ArticleFilter
from articles.models import Category, Event, Person, Tag
from lechan.lists.choices import offer_only, read_together

pytestmark = pytest.mark.django_db


def test_rows_of_several_models_are_read_in_one_query_each_in_its_own_order():
    Category.objects.create(name="Đô thị", order=2)
    Category.objects.create(name="Xây dựng Đảng", order=1)
    Person.objects.create(name="Lê Trung Kiên", position="Bí thư Quận ủy Lê Chân")
    Person.objects.create(name="Đinh Văn B")
    Event.objects.create(name="Cũ", start_date=date(2015, 1, 1))
    Event.objects.create(name="Mới", start_date=date(2020, 10, 14))
    connection.features.supports_json_field  # noqa: B018  # asked once per connection
    querysets = [
        Category.objects.all(),
        Person.objects.order_by("-name"),
        Event.objects.all(),
        Tag.objects.all(),
    ]
    with CaptureQueriesContext(connection) as queries:
        categories, people, events, tags = read_together(querysets)
    assert len(queries) == 1
    assert [c.name for c in categories] == ["Xây dựng Đảng", "Đô thị"]
    assert [str(p) for p in people] == [str(p) for p in querysets[1]]
    assert str(people[-1]) == "Lê Trung Kiên, Bí thư Quận ủy Lê Chân"
    assert [(e.name, e.start_date) for e in events] == [
        ("Mới", date(2020, 10, 14)),
        ("Cũ", date(2015, 1, 1)),
    ]
    assert tags == []


def test_each_select_offers_the_most_frequent_offered_choices_and_the_chosen_one(
    make_article, make_project
):
    tags = [Tag.objects.create(name=f"Thẻ {n}") for n in range(4)]
    hidden = [make_project(name=f"Dự án ẩn {n}", is_published=False) for n in range(3)]
    shown = [make_project(name=f"Dự án {n}") for n in range(3)]
    for project in [*hidden, *shown]:
        make_article().projects.add(project)
    make_article().tags.add(*tags)  # a choice some published article has
    filterset = ArticleFilter({"tag": tags[3].slug}, queryset=None)
    assert filterset.is_valid(), filterset.errors
    fields = filterset.form.fields
    tag_counts = Counter({tags[0].pk: 9, tags[1].pk: 5, tags[2].pk: 1})
    # The hidden projects are the most frequent: the field does not offer them.
    project_counts = Counter({project.pk: 9 for project in hidden})
    project_counts.update({shown[2].pk: 4, shown[0].pk: 3, shown[1].pk: 1})
    offered = {name: filterset.filters[name].get_queryset(None) for name in ("tag", "project")}
    offers = [
        (fields["tag"], tag_counts, tags[3], offered["tag"]),
        (fields["project"], project_counts, None, offered["project"]),
    ]
    with CaptureQueriesContext(connection) as queries:
        offer_only(offers, limit=2)
        tag_options = [label for value, label in fields["tag"].widget.choices if value]
        project_options = [label for value, label in fields["project"].widget.choices if value]
    # Both fields in one query; the projects read further, as one of four is offered.
    assert len(queries) == 2
    assert tag_options == ["Thẻ 0", "Thẻ 1", "Thẻ 3"]
    assert project_options == ["Dự án 0", "Dự án 2"]
    assert set(fields["project"].queryset) == {shown[0], shown[2]}


def test_a_select_with_nothing_to_offer_reads_nothing():
    filterset = ArticleFilter({}, queryset=None)
    assert filterset.is_valid()
    field = filterset.form.fields["event"]
    with CaptureQueriesContext(connection) as queries:
        offer_only([(field, Counter(), None, Event.objects.all())], limit=50)
    assert len(queries) == 0
    assert [value for value, _ in field.widget.choices] == [""]

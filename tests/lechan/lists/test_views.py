"""A list's page number, from whatever a reader types into the query string."""

import pytest
from django.urls import reverse

from lechan.lists.views import page_number

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "number"),
    [("1", 1), ("12", 12), ("0", None), ("", None), (None, None), ("-2", None), ("²", None),
     ("٣", None), ("1e3", None), ("9" * 18, 10**18 - 1), ("9" * 19, None), ("9" * 5000, None)],
)  # fmt: skip
def test_page_number_reads_ascii_digits_only(value, number):
    assert page_number(value) == number


@pytest.mark.parametrize("page", ["²", "9" * 5000, "99999999999999999999999", "٣"])
@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("home", 200),
        ("search", 200),
        ("articles:list", 404),
        ("projects:list", 404),
        ("figures", 404),
    ],
)
def test_any_page_number_gives_a_page_or_a_404(client, make_article, url, status, page):
    make_article(title="Đổi mới")
    params = {"page": page, "q": "doi moi"} if url == "search" else {"page": page}
    response = client.get(reverse(url), params)
    assert response.status_code == status

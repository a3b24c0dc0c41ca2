import re
import unicodedata

import pytest

from lechan.text import fold, slugify_vi

# Each row: the five tones of one vowel (huyền, sắc, hỏi, ngã, nặng) and its base letter.
TONED_VOWELS = [
    ("àáảãạ", "a"),
    ("ằắẳẵặ", "a"),
    ("ầấẩẫậ", "a"),
    ("èéẻẽẹ", "e"),
    ("ềếểễệ", "e"),
    ("ìíỉĩị", "i"),
    ("òóỏõọ", "o"),
    ("ồốổỗộ", "o"),
    ("ờớởỡợ", "o"),
    ("ùúủũụ", "u"),
    ("ừứửữự", "u"),
    ("ỳýỷỹỵ", "y"),
]

FOLD_CASES = [
    ("đ", "d"),
    ("Đ", "d"),
    ("ăâêôơư", "aaeoou"),
    ("ĂÂÊÔƠƯ", "aaeoou"),
    *[(toned, base * 5) for toned, base in TONED_VOWELS],
    *[(toned.upper(), base * 5) for toned, base in TONED_VOWELS],
    ("Đổi Mới PHƯƠNG Thức", "doi moi phuong thuc"),
    ("ĐẢNG ỦY", "dang uy"),
    ("Hồ Sen – Cầu Rào 2", "ho sen – cau rao 2"),
    ("Lê Chân, 11,9km²", "le chan, 11,9km²"),
    ("plain ascii 123", "plain ascii 123"),
]

NFD_WORDS = [
    "Đổi mới phương thức lãnh đạo",
    "ĐƯỜNG HỒ SEN",
    "Ủy ban nhân dân",
    "ngõ, vỉa hè, giải phóng mặt bằng",
    "".join(toned for toned, _ in TONED_VOWELS),
    "".join(toned.upper() for toned, _ in TONED_VOWELS),
]


@pytest.mark.parametrize(("text", "expected"), FOLD_CASES, ids=[c[0] for c in FOLD_CASES])
def test_fold_strips_tone_marks_and_maps_d_bar(text, expected):
    assert fold(text) == expected


@pytest.mark.parametrize("word", NFD_WORDS)
def test_fold_treats_nfd_input_like_nfc(word):
    nfc = unicodedata.normalize("NFC", word)
    nfd = unicodedata.normalize("NFD", word)
    assert nfd != nfc  # the case really exercises decomposed input
    assert fold(nfd) == fold(nfc)
    assert fold(nfd).isascii()


@pytest.mark.parametrize("empty", ["", None])
def test_fold_of_empty_or_none_is_empty_string(empty):
    assert fold(empty) == ""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Đổi mới phương thức lãnh đạo, chỉ đạo của cấp ủy Đảng trong khai thác các nguồn lực",
            "doi-moi-phuong-thuc-lanh-dao-chi-dao-cua-cap-uy-dang-trong-khai-thac-cac-nguon-luc",
        ),
        ("Đường Hồ Sen", "duong-ho-sen"),
        ("Hồ Sen – Cầu Rào 2", "ho-sen-cau-rao-2"),
        ("  Khu đô thị   Vinhomes Marina!  ", "khu-do-thi-vinhomes-marina"),
        ("Khách sạn 5 sao Nikko", "khach-san-5-sao-nikko"),
    ],
)
def test_slugify_vi_gives_ascii_words_joined_by_hyphens(text, expected):
    assert slugify_vi(text) == expected


def test_slugify_vi_treats_nfd_input_like_nfc():
    title = "Đường Hồ Sen – Cầu Rào 2"
    assert slugify_vi(unicodedata.normalize("NFD", title)) == "duong-ho-sen-cau-rao-2"


@pytest.mark.parametrize("text", ["", None, "–", "!!! ... ???", " – / , ; «» “” …"])
def test_slugify_vi_of_punctuation_only_is_empty(text):
    assert slugify_vi(text) == ""


@pytest.mark.parametrize("max_length", range(1, 90))
def test_slugify_vi_max_length_cuts_at_a_word_boundary(max_length):
    title = "Đổi mới phương thức lãnh đạo, chỉ đạo của cấp ủy Đảng trong khai thác các nguồn lực"
    full = slugify_vi(title)
    slug = slugify_vi(title, max_length=max_length)
    assert len(slug) <= max_length
    assert not slug.startswith("-")
    assert not slug.endswith("-")
    if len(full) <= max_length:
        assert slug == full
    elif max_length >= len("doi"):
        # whole words only: the slug is a prefix of the full slug ending where a word ends
        assert full.startswith(slug + "-")


def test_slugify_vi_max_length_hard_cuts_a_single_overlong_word():
    assert slugify_vi("Nghiêngnghiêng", max_length=5) == "nghie"


@pytest.mark.parametrize(
    ("max_length", "expected"),
    [(7, "doi-moi"), (14, "doi-moi-phuong"), (19, "doi-moi-phuong-thuc")],
)
def test_slugify_vi_max_length_keeps_a_word_that_ends_exactly_at_the_limit(max_length, expected):
    assert slugify_vi("Đổi mới phương thức lãnh đạo", max_length=max_length) == expected


def test_slugify_vi_output_is_ascii_letters_digits_and_hyphens_only():
    text = (
        "Đổi mới ĂÂÊÔƠƯ ăâêôơư "
        + " ".join(toned for toned, _ in TONED_VOWELS)
        + " "
        + " ".join(toned.upper() for toned, _ in TONED_VOWELS)
        + " 40.843 tỷ đồng, 89% — 11,9km² «Gốc» ½ ™ 中文"
    )
    slug = slugify_vi(text)
    assert slug.isascii()
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)

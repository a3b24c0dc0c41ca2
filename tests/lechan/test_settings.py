import os
import subprocess
import sys
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template

from lechan.templatetags.lechan import vn_billion, vn_dateline, vn_number
from tests.fresh import settings_read


def render(source, **context):
    return Template("{% load humanize lechan %}" + source).render(Context(context))


def test_database_follows_database_url():
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgresql_is_version_15_or_newer():
    assert connection.pg_version >= 150000


def test_language_time_zone_and_fixture_dirs():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert settings.USE_TZ is True
    assert settings.BASE_DIR / "fixtures" in settings.FIXTURE_DIRS


SETTINGS_OF = """
import json
from lechan import settings as s
print(json.dumps({
    "engine": s.DATABASES["default"]["ENGINE"],
    "name": str(s.DATABASES["default"]["NAME"]),
    "cache": s.CACHES["default"]["BACKEND"],
    "cache_location": s.CACHES["default"].get("LOCATION"),
    "debug": s.DEBUG,
    "secret": bool(s.SECRET_KEY),
    "media_root": str(s.MEDIA_ROOT),
    "options": s.DATABASES["default"].get("OPTIONS", {}),
}))
"""


def settings_with(**env):
    """lechan.settings as a fresh process reads them from `env` alone."""
    return settings_read(SETTINGS_OF, ("DJANGO_", "DATABASE_URL", "REDIS_URL", "MEDIA_ROOT"), **env)


def test_with_nothing_set_the_site_runs_locally_on_sqlite_and_local_memory():
    found = settings_with()
    assert found["engine"] == "django.db.backends.sqlite3"
    assert found["name"] == str(settings.BASE_DIR / "db.sqlite3")
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["debug"] is True and found["secret"] is True
    assert found["media_root"] == str(settings.BASE_DIR / "media")


def test_environment_variables_switch_database_cache_and_media(tmp_path):
    found = settings_with(
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/lechan",
        REDIS_URL="redis://127.0.0.1:6379/3",
        MEDIA_ROOT=str(tmp_path),
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "lechan"
    assert found["cache"] == "django.core.cache.backends.redis.RedisCache"
    assert found["cache_location"] == "redis://127.0.0.1:6379/3"
    assert found["media_root"] == str(tmp_path)


def test_sqlite_writes_queue_instead_of_failing_and_postgresql_keeps_its_defaults(tmp_path):
    options = settings_with(DATABASE_URL=f"sqlite:///{tmp_path / 'site.sqlite3'}")["options"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
    assert settings_with(DATABASE_URL="postgres://postgres@127.0.0.1:5432/lechan")["options"] == {}


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"DJANGO_DEBUG": "0"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "s" * 50}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secret_or_hosts(env, message):
    assert message in start_error(env)


@pytest.mark.parametrize("value", ["mười", "10s", "1e3"])
def test_a_number_setting_that_is_no_whole_number_stops_the_start_with_its_name(value):
    error = start_error({"LECHAN_PAGE_CACHE_SECONDS": value})
    assert f"LECHAN_PAGE_CACHE_SECONDS phải là một số nguyên (đang là “{value}”)" in error
    assert "ValueError" not in error


def start_error(env):
    """What a fresh process that reads lechan.settings from `env` says as it fails to start."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "LECHAN_"))}
    result = subprocess.run(
        [sys.executable, "-c", "import lechan.settings"],
        env={**clean, **env},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    return result.stderr


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (Decimal("40843.0000"), "40.843"),
        (Decimal("91.95"), "91,95"),
        (Decimal("11.9"), "11,9"),
        (1500, "1.500"),
        (Decimal("0.0000"), "0"),
        (Decimal("1234567.5"), "1.234.567,5"),
        (None, ""),
    ],
)
def test_vn_number_groups_thousands_with_dots_and_uses_a_decimal_comma(value, expected):
    assert vn_number(value) == expected


def test_vietnamese_locale_groups_digits_in_django_filters():
    assert render("{{ v|intcomma }}", v=40843) == "40.843"
    assert render("{{ v|floatformat:'2g' }}", v=Decimal("40843.5")) == "40.843,50"
    assert render("{{ v|floatformat:'-2' }}", v=Decimal("91.95")) == "91,95"


def test_vn_billion_shows_dong_in_ty_dong():
    assert vn_billion(Decimal("40843000000000")) == "40.843 tỷ đồng"


def test_vn_dateline_names_the_weekday_in_words():
    from datetime import datetime
    from zoneinfo import ZoneInfo

    moment = datetime(2020, 10, 15, 3, 51, tzinfo=ZoneInfo("UTC"))
    assert vn_dateline(moment) == "Thứ Năm, 15/10/2020 10:51"
    assert vn_dateline(datetime(2020, 10, 18, 1, 0, tzinfo=ZoneInfo("UTC"))).startswith(
        "Chủ Nhật, 18/10/2020"
    )


def test_the_projects_own_settings_carry_the_lechan_prefix():
    """A setting is Django's, a library's (by its prefix), or the project's: LECHAN_…"""
    from django.conf import global_settings

    from lechan import settings as project

    libraries = ("AXES_", "WHITENOISE_", "FILTERS_", "LECHAN_")
    required = {"BASE_DIR", "ROOT_URLCONF"}  # Django asks for them and gives no default
    names = [name for name in dir(project) if name.isupper() and name not in required]
    unprefixed = [
        name
        for name in names
        if not hasattr(global_settings, name) and not name.startswith(libraries)
    ]
    assert unprefixed == []

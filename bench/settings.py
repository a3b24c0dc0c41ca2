"""Settings for benchmarks: the site's own, plus a bare page to compare against."""

from lechan.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

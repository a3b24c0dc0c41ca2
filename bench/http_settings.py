"""Settings for the HTTP benchmarks: bench.settings (the site plus /__bare__/), with the bare
page kept out of the page cache so that it stays the same baseline, cache on or off."""

from bench.settings import *  # noqa: F403
from bench.settings import LECHAN_PAGE_CACHE_EXCLUDE

LECHAN_PAGE_CACHE_EXCLUDE = [*LECHAN_PAGE_CACHE_EXCLUDE, "__bare__/"]

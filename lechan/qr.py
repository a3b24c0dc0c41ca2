"""QR codes of page addresses, drawn on the server as inline SVG and cached."""

import hashlib

import segno

from lechan.cache import cache_call

CACHE_SECONDS = 60 * 60 * 24 * 30
TITLE = "Mã QR dẫn tới địa chỉ {url}"


def cache_key(url):
    return "qr:svg:" + hashlib.sha256(url.encode()).hexdigest()


def make_svg(url):
    """An accessible SVG of the QR code for `url` (medium error correction, quiet zone 2)."""
    code = segno.make(url, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=2, omitsize=True, svgclass="qr-code", title=TITLE.format(url=url)
    )
    return svg.replace("<svg ", '<svg role="img" ', 1)


def qr_svg(url):
    """The SVG for `url`, built once and then served from the cache."""
    key = cache_key(url)
    svg = cache_call("get", key)  # None too when the cache is down: drawn again
    if svg is None:
        svg = make_svg(url)
        cache_call("set", key, svg, CACHE_SECONDS)
    return svg

"""What pages tell machines: share links, JSON-LD.

Each content app builds its own items' JSON-LD from these parts, in its `seo.py`.
"""

import json
from urllib.parse import urlencode

from django.templatetags.static import static
from django.utils.safestring import mark_safe

from lechan.images import OG_SIZE

# The characters that could end a <script> element or open a comment, as JSON escapes.
JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def share_links(url):
    """Plain links to each service's share page: nothing loads until the reader clicks."""
    return {
        "facebook": "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url}),
        "zalo": "https://sp.zalo.me/share_inline?" + urlencode({"url": url}),
    }


def json_ld_script(data):
    """A `<script type="application/ld+json">` element, safe whatever the strings hold."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    # The JSON is escaped so that it cannot close the element.
    return mark_safe(  # noqa: S308  # nosec B308 B703
        f'<script type="application/ld+json">{text.translate(JSON_SCRIPT_ESCAPES)}</script>'
    )


def image_object(image, absolute):
    """schema.org ImageObject of a photo with its stored OpenGraph rendition."""
    data = {
        "@type": "ImageObject",
        "url": absolute(image.image.og_url),
        "width": OG_SIZE[0],
        "height": OG_SIZE[1],
    }
    if image.caption:
        data["caption"] = image.caption
    if image.credit:
        data["creditText"] = image.credit
    return data


def default_image(absolute):
    """The site's own OpenGraph picture, for pages without a photo of their own."""
    return {
        "@type": "ImageObject",
        "url": absolute(static("img/og-default.png")),
        "width": OG_SIZE[0],
        "height": OG_SIZE[1],
    }

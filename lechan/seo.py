"""What pages tell machines: share links, JSON-LD. Duck-typed: the core imports no app."""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.templatetags.static import static
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime

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
        "width": 1200,
        "height": 630,
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
        "width": 1200,
        "height": 630,
    }


def news_article(article, url, images, tags, absolute):
    """schema.org NewsArticle for an article; `absolute` turns a path into a full URL."""
    publisher = {
        "@type": "Organization",
        "name": settings.SITE_NAME,
        "url": absolute("/"),
        "logo": {"@type": "ImageObject", "url": absolute(settings.STATIC_URL + "img/logo.png")},
    }
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "inLanguage": "vi",
        "publisher": publisher,
    }
    if article.lead:
        data["description"] = article.lead
    if article.published_at:
        data["datePublished"] = localtime(article.published_at).isoformat()
    if article.updated_at:
        data["dateModified"] = localtime(article.updated_at).isoformat()
    if article.reporter:
        data["author"] = [{"@type": "Person", "name": article.reporter}]
    else:
        data["author"] = [publisher]
    if article.category:
        data["articleSection"] = article.category.name
    keywords = [tag.name for tag in tags]
    if keywords:
        data["keywords"] = keywords
    photos = [image_object(image, absolute) for image in images if image.image]
    # Without a photo, the site's own picture, as in og:image.
    data["image"] = photos or [default_image(absolute)]
    if article.speaker:
        data["about"] = {"@type": "Person", "name": article.speaker.name}
        if article.speaker.position:
            data["about"]["jobTitle"] = article.speaker.position
    if article.event:
        data["mentions"] = [{"@type": "Event", "name": article.event.name}]
    if article.source_url:
        data["isBasedOn"] = article.source_url
    if article.source_name:
        data["sourceOrganization"] = {"@type": "Organization", "name": article.source_name}
    return data

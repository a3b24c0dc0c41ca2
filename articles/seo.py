"""What an article page tells machines: its schema.org NewsArticle."""

from django.conf import settings
from django.utils.timezone import localtime

from lechan.seo import default_image, image_object


def news_article(article, url, images, tags, absolute):
    """schema.org NewsArticle for an article; `absolute` turns a path into a full URL."""
    publisher = {
        "@type": "Organization",
        "name": settings.LECHAN_SITE_NAME,
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

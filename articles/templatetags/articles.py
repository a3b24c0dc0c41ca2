"""Template tags of the article pages alone."""

from django import template

from articles import seo as article_seo
from lechan import seo

register = template.Library()


@register.simple_tag(takes_context=True)
def article_json_ld(context, article, images, tags):
    """The article's NewsArticle JSON-LD, as a script element."""
    request = context["request"]
    url = request.build_absolute_uri(article.get_absolute_url())
    data = article_seo.news_article(article, url, images, tags, request.build_absolute_uri)
    return seo.json_ld_script(data)

"""Tags that spare a page work it would repeat on every request.

`{% fragment %}` keeps part of a page in the cache under the site's content version;
`{% site_url %}` and `{% site_static %}` find the site's fixed addresses once per process.
"""

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, get_urlconf, reverse

from lechan.pagecache import cached_fragment

register = template.Library()
_addresses = {}


@receiver(setting_changed)
def forget_addresses(**kwargs):
    _addresses.clear()  # tests that change URLs or storage settings


@register.simple_tag
def site_url(name):
    """`{% url name %}` for the site's fixed addresses (header, footer, breadcrumbs)."""
    key = (name, settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
    address = _addresses.get(key)
    if address is None:
        address = _addresses[key] = reverse(name)
    return address


@register.simple_tag
def site_static(path):
    """`{% static path %}` for the files every page links to (style sheet, script, icon)."""
    key = ("static", path, settings.STATIC_URL)
    address = _addresses.get(key)
    if address is None:
        address = _addresses[key] = static(path)
    return address


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, parts):
        self.nodelist = nodelist
        self.name = name
        self.parts = parts

    def render(self, context):
        if context.get("is_preview"):
            return self.nodelist.render(context)
        return cached_fragment(
            context.get("request"),
            self.name.resolve(context),
            [part.resolve(context) for part in self.parts],
            lambda: self.nodelist.render(context),
        )


@register.tag
def fragment(parser, token):
    """{% fragment "name" value… %}…{% endfragment %}: the block's HTML, rendered once per
    name, values, host and content version (lechan.pagecache.cached_fragment).

    Variables set inside the block are not seen after it: on a hit it is not rendered.
    """
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"'{bits[0]}' needs a name.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )

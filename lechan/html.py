"""Rich-text helpers: sanitize editor HTML and split it into top-level blocks.

The body of an article is HTML from the admin's editor or pasted from Word or a web
page. `clean_html` keeps an allow-list (paragraphs, h2–h4, bold, italic, links, lists,
quotes, figures) and runs on save and again on render. An image stays only when it is
one of ours: its address must start with MEDIA_URL.
"""

import re
from html.parser import HTMLParser

import nh3
from django.conf import settings

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "a",
    "ul", "ol", "li", "blockquote", "figure", "figcaption", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
}
# Elements removed with everything inside them (Word's <xml> and <style> among them).
DROPPED_WITH_CONTENT = {"script", "style", "xml", "title", "template", "noscript", "iframe"}
VOID_TAGS = {"br", "img", "hr", "wbr"}
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_EMPTY_BLOCK = re.compile(r"<(p|h2|h3|h4|li|blockquote)>(?:\s|&nbsp;|\u00a0|<br>)*</\1>")


def media_prefix():
    """The address every image of ours starts with ("/media/", or a storage's absolute URL)."""
    url = settings.MEDIA_URL
    return url if url.startswith(("/", "http://", "https://")) else f"/{url}"


def _keep_own_images(tag, attribute, value):
    if tag == "img" and attribute == "src":
        return value if value.startswith(media_prefix()) and ".." not in value else None
    return value


def clean_html(html):
    """Keep only the allow-listed tags and attributes; links get rel=noopener."""
    cleaned = nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_keep_own_images,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )
    cleaned = _IMG_WITHOUT_SRC.sub("", cleaned)
    return _EMPTY_BLOCK.sub("", cleaned).strip()


class _BlockSplitter(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.blocks, self._buffer, self._depth = [], [], 0

    def _flush(self):
        block = "".join(self._buffer).strip()
        if block:
            self.blocks.append(block)
        self._buffer = []

    def handle_starttag(self, tag, attrs):
        if self._depth == 0:
            self._flush()
        self._buffer.append(self.get_starttag_text())
        if tag not in VOID_TAGS:
            self._depth += 1

    def handle_startendtag(self, tag, attrs):
        self._buffer.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag in VOID_TAGS:
            return
        self._buffer.append(f"</{tag}>")
        self._depth = max(self._depth - 1, 0)
        if self._depth == 0:
            self._flush()

    def handle_data(self, data):
        self._buffer.append(data)

    def handle_entityref(self, name):
        self._buffer.append(f"&{name};")

    def handle_charref(self, name):
        self._buffer.append(f"&#{name};")


def split_blocks(html):
    """Top-level blocks of an HTML fragment: "<p>a</p><p>b</p>" gives two blocks."""
    splitter = _BlockSplitter()
    splitter.feed(html or "")
    splitter.close()
    splitter._flush()
    return splitter.blocks

"""Rich-text helpers: sanitize editor HTML and split it into top-level blocks."""

from html.parser import HTMLParser

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "a",
    "ul", "ol", "li", "blockquote", "figure", "figcaption", "img",
    "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
}
VOID_TAGS = {"br", "img", "hr", "wbr"}


def clean_html(html):
    """Keep only the allow-listed tags and attributes; links get rel=noopener."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    )


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

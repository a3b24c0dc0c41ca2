"""Rich text: the body editor in the admin, and HTML sanitized on save and again on render."""

import base64
import hashlib
import re

import pytest
from django.core.management import call_command

from articles.models import Article
from lechan.html import clean_html, split_blocks
from tests.editorial import admin_url

pytestmark = pytest.mark.django_db

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<img src="/media/a.jpg" onerror="alert(1)">',
    "<svg onload=alert(1)><circle r=1></svg>",
    "<svg><script>alert(1)</script></svg>",
    '<a href="javascript:alert(1)">bấm</a>',
    '<a href="JaVaScRiPt:alert(1)">bấm</a>',
    '<a href="&#106;avascript:alert(1)">bấm</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">bấm</a>',
    '<a href="vbscript:msgbox(1)">bấm</a>',
    '<iframe src="https://example.com"></iframe>',
    '<object data="x.swf"></object><embed src="x.swf">',
    '<p style="background:url(javascript:alert(1))">đoạn</p>',
    '<p onclick="alert(1)">đoạn</p>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<form action="https://evil.example"><input name="q"><button>Gửi</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<style>body{display:none}</style>",
    '<div><p title="x" id="y" class="z">đoạn</p></div>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    "<<script>script>alert(1)<</script>/script>",
    '<img src="https://tracker.example/pixel.gif">',
    '<img src="/media/../../etc/passwd">',
    "<!--<script>alert(1)</script>-->",
]
DANGEROUS = re.compile(
    r"<\s*(script|iframe|object|embed|svg|math|style|form|input|meta|base|link)\b"
    r"|\son\w+\s*=|javascript:|vbscript:|data:text|style=|tracker\.example|\.\./",
    re.I,
)


def article_body(content):
    return content.split('<div class="article-body">', 1)[1].split("</div>", 1)[0]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_is_inert_once_saved(payload):
    article = Article.objects.create(title="Thử", body=f"<p>Trước.</p>{payload}<p>Sau.</p>")
    assert not DANGEROUS.search(article.body), article.body


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_xss_payload_stored_unsafely_is_inert_on_the_page(client, make_article, payload):
    article = make_article(title="Thử hiển thị")
    # As if written behind the model's back (an old import, a raw SQL fix): render cleans again.
    Article.objects.filter(pk=article.pk).update(body=f"<p>Trước.</p>{payload}<p>Sau.</p>")
    body = article_body(client.get(article.get_absolute_url()).content.decode())
    assert not DANGEROUS.search(body), body
    assert "<p>Trước.</p>" in body  # (an unclosed <style> may swallow what follows it)


WORD_PASTE = """
<html xmlns:o="urn:schemas-microsoft-com:office:office"><head>
<meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal{margin:0}</style>
<!--[if gte mso 9]><xml><w:WordDocument><w:View>Normal</w:View></w:WordDocument></xml><![endif]-->
</head><body lang=VI style='tab-interval:36.0pt'>
<p class=MsoNormal style='text-align:justify'><b><span style='font-size:13.0pt;
font-family:"Times New Roman"'>Tổng vốn đầu tư toàn xã hội</span></b><span
style='font-size:13.0pt'> đạt 40.843 tỷ đồng.<o:p></o:p></span></p>
<p class=MsoNormal><o:p>&nbsp;</o:p></p>
<p class=MsoListParagraph style='mso-list:l0 level1 lfo1'><![if !supportLists]>-
<![endif]><i>Hồ Sen – Cầu Rào 2</i><o:p></o:p></p>
</body></html>
"""
WEB_PASTE = """
<div class="article" style="color:red"><h1 class="title">Tiêu đề trang khác</h1>
<span style="font-weight:700">Đậm</span> <font face="Arial">chữ</font>
<table><tr><td>ô bảng</td></tr></table>
<p data-tracking="x"><a href="https://haiphong.gov.vn/" target="_blank" onclick="t()">Gốc</a></p>
<img src="https://cdn.example/anh.jpg"><button>Chia sẻ</button></div>
"""


def test_text_pasted_from_word_is_cleaned():
    cleaned = clean_html(WORD_PASTE)
    assert not re.search(r"class=|style=|<o:p|<span|mso|<xml|WordDocument|Normal<", cleaned)
    assert "<b>Tổng vốn đầu tư toàn xã hội</b> đạt 40.843 tỷ đồng." in cleaned
    assert "<i>Hồ Sen – Cầu Rào 2</i>" in cleaned
    assert "<p></p>" not in cleaned and "&nbsp;</p>" not in cleaned


def test_text_pasted_from_a_web_page_is_cleaned():
    cleaned = clean_html(WEB_PASTE)
    assert not re.search(
        r"class=|style=|data-|onclick|target=|<div|<span|<font|<h1|<table|<img", cleaned
    )
    assert "Tiêu đề trang khác" in cleaned and "ô bảng" in cleaned
    assert '<a href="https://haiphong.gov.vn/" rel="noopener noreferrer">Gốc</a>' in cleaned


def test_the_allow_list_keeps_what_editors_write():
    html = (
        "<h2>Phần một</h2><h3>Mục</h3><h4>Ý</h4><p><strong>đậm</strong> <em>nghiêng</em>"
        ' <a href="https://haiphong.gov.vn/">liên kết</a><br>dòng mới</p>'
        "<ul><li>một</li></ul><ol><li>hai</li></ol><blockquote><p>trích dẫn</p></blockquote>"
        '<figure><img src="/media/articles/2020/10/anh.jpg" alt="Quang cảnh">'
        "<figcaption>Quang cảnh đại hội</figcaption></figure>"
    )
    cleaned = clean_html(html)
    for kept in (
        "<h2>Phần một</h2>",
        "<h3>Mục</h3>",
        "<h4>Ý</h4>",
        "<strong>đậm</strong>",
        "<em>nghiêng</em>",
        "<br>",
        "<ul><li>một</li></ul>",
        "<ol><li>hai</li></ol>",
        "<blockquote><p>trích dẫn</p></blockquote>",
        '<img src="/media/articles/2020/10/anh.jpg" alt="Quang cảnh">',
        "<figcaption>Quang cảnh đại hội</figcaption>",
    ):
        assert kept in cleaned


def test_only_our_own_images_are_kept(settings):
    assert clean_html('<img src="https://elsewhere.example/a.jpg">') == ""
    assert clean_html('<img src="media/a.jpg">') == ""
    settings.MEDIA_URL = "https://anh.lechan.example/media/"
    own = '<img src="https://anh.lechan.example/media/a.jpg">'
    assert clean_html(own) == own


def test_seed_article_keeps_its_paragraphs_through_a_save():
    call_command("loaddata", "lechan", verbosity=0)
    article = Article.objects.get()
    stored = article.body
    blocks = split_blocks(stored)
    article.save()
    article.refresh_from_db()
    assert article.body == stored
    assert len(blocks) > 10 and all(block.startswith("<p>") for block in blocks)


def test_body_is_edited_with_the_self_hosted_rich_text_editor(editor_client):
    content = editor_client.get(admin_url(Article, "add")).content.decode()
    assert "data-django-prose-editor-configurable" in content
    assert '<script src="/static/django_prose_editor/editor.js" type="module">' in content
    scripts = re.findall(r'<script[^>]+src="([^"]+)"', content)
    assert scripts and all(src.startswith("/") for src in scripts), scripts
    styles = re.findall(r'<link[^>]+href="([^"]+)"', content)
    assert all(href.startswith("/") for href in styles), styles


def test_editor_offers_only_what_the_sanitizer_keeps(editor_client):
    content = editor_client.get(admin_url(Article, "add")).content.decode()
    config = re.search(r'data-django-prose-editor-configurable="([^"]+)"', content).group(1)
    for extension in ("Bold", "Italic", "Heading", "BulletList", "Blockquote", "Link"):
        assert extension in config
    for absent in ("Table", "Underline", "TextAlign", "Color"):
        assert f"&quot;{absent}&quot;" not in config


def test_admin_policy_names_the_editors_import_map_by_hash(editor_client, settings):
    settings.LECHAN_CSP_ADMIN = {"default-src": ["'self'"], "script-src": ["'self'"]}
    response = editor_client.get(admin_url(Article, "add"))
    import_map = re.search(
        rb'<script type="importmap">(.*?)</script>', response.content, re.S
    ).group(1)
    digest = base64.b64encode(hashlib.sha256(import_map).digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}'" in response["Content-Security-Policy"]

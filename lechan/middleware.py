"""Security headers Django does not send itself: Content-Security-Policy, Permissions-Policy."""

import base64
import hashlib
import re

from django.conf import settings

from lechan.debug import is_debug_page

# Inline blocks the admin's own templates and widgets write (the rich-text editor's import
# map, <style> elements) are allowed by their hash, page by page, not by 'unsafe-inline':
# executable inline scripts and event handlers stay refused in the admin as on the site (an
# import map is data, and the modules it names must still come from script-src 'self').
# A directive that LECHAN_CSP_ADMIN opens with 'unsafe-inline' gets no hash (a hash would close it).
ADMIN_INLINE_BLOCKS = {
    "script-src": re.compile(rb'<script type="importmap"[^>]*>(.*?)</script>', re.S),
    "style-src": re.compile(rb"<style[^>]*>(.*?)</style>", re.S),
}

# Django's debug pages (debug only) style themselves inline; their scripts stay refused,
# which leaves every part of a traceback shown.
DEBUG_PAGE_INLINE_BLOCKS = {"style-src": ADMIN_INLINE_BLOCKS["style-src"]}


def source_hash(text):
    return "'sha256-" + base64.b64encode(hashlib.sha256(text).digest()).decode() + "'"


def policy_header(policy):
    return "; ".join(f"{name} {' '.join(sources)}".strip() for name, sources in policy.items())


class SecurityHeadersMiddleware:
    """The site's policy on every response; the admin's (`LECHAN_CSP_ADMIN`) on its pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.LECHAN_CSP and "Content-Security-Policy" not in response:
            policy = settings.LECHAN_CSP
            if request.path.startswith("/" + settings.LECHAN_ADMIN_PATH):
                policy = self.admin_policy(response)
            elif is_debug_page(response):
                policy = self.with_hashes(settings.LECHAN_CSP, response, DEBUG_PAGE_INLINE_BLOCKS)
            response["Content-Security-Policy"] = policy_header(policy)
        if settings.LECHAN_PERMISSIONS_POLICY and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = settings.LECHAN_PERMISSIONS_POLICY
        return response

    @classmethod
    def admin_policy(cls, response):
        return cls.with_hashes(settings.LECHAN_CSP_ADMIN, response, ADMIN_INLINE_BLOCKS)

    @staticmethod
    def with_hashes(base, response, inline_blocks):
        """`base`, allowing by hash the blocks of the page that `inline_blocks` match."""
        policy = {name: list(sources) for name, sources in base.items()}
        if response.streaming or "html" not in response.get("Content-Type", ""):
            return policy
        for directive, pattern in inline_blocks.items():
            if "'unsafe-inline'" in policy.get(directive, []):
                continue
            hashes = [source_hash(block) for block in pattern.findall(response.content)]
            if hashes:
                policy.setdefault(directive, ["'self'"]).extend(dict.fromkeys(hashes))
        return policy

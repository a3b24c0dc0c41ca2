"""The admin of old addresses (`Redirect`), the one model the core registers of its own."""

from django.contrib import admin

from lechan.admin.mixins import BoundedInputMixin
from lechan.models import Redirect


@admin.register(Redirect)
class RedirectAdmin(BoundedInputMixin, admin.ModelAdmin):
    """Old addresses: editors may add and correct them; only administrators delete one for good."""

    list_display = ["old_path", "new_path", "created_at"]
    search_fields = ["old_path", "new_path"]
    readonly_fields = ["created_at"]

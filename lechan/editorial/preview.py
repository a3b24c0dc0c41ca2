from django.utils.cache import add_never_cache_headers


class PreviewMixin:
    """Who may edit an item sees it unpublished on its real address; everyone else gets 404.

    The model's default manager must offer `visible_to(user)` (the public items plus
    those the user may edit: a reporter previews own drafts, an editor any item) and
    instances `is_public`. A preview is marked as such and never cached.
    """

    def get_base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        return self.get_base_queryset().visible_to(self.request.user)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("is_preview", not self.object.is_public)
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
        return response

from django.utils.cache import add_never_cache_headers


class PreviewMixin:
    """Staff who may change an item see it unpublished on its real address; others get 404.

    The model's default manager must offer `published()` and instances `is_public`.
    """

    def get_base_queryset(self):
        return self.model.objects.all()

    def get_queryset(self):
        queryset = self.get_base_queryset()
        opts = self.model._meta
        if self.request.user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            return queryset
        return queryset.published()

    def get_context_data(self, **kwargs):
        kwargs.setdefault("is_preview", not self.object.is_public)
        return super().get_context_data(**kwargs)

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
        return response

"""What every page's template reads from the settings: one source for the site's name."""

from django.conf import settings

from lechan.images import OG_SIZE


def site(request):
    """The site's name and the size of its share images (og:image:width, og:image:height)."""
    return {"site_name": settings.LECHAN_SITE_NAME, "og_image_size": OG_SIZE}

"""Abstract models both apps build on; the core defines no table of its own."""

from django.db import models

from lechan.text import unique_slug

# Long enough for a full Vietnamese title as an ASCII slug.
SLUG_LENGTH = 255


class SluggedModel(models.Model):
    """A model whose slug is derived from its name when the editor leaves it empty."""

    slug_source = "name"

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(self, getattr(self, self.slug_source))
        super().save(*args, **kwargs)

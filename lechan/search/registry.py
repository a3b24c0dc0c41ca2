"""What is indexed: each app registers its models (from its AppConfig.ready()); the index
follows their saves and deletes, and is rebuilt or filled here. The core names no app."""

import html
from dataclasses import dataclass

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.html import strip_tags

from lechan.search.backends import backend_for
from lechan.search.schema import COLUMNS
from lechan.text import fold


@dataclass
class Registration:
    model: type
    title: object
    lead: object
    body: object

    def document(self, instance):
        """The folded text of each column for `instance`."""
        values = {}
        for column in COLUMNS:
            source = getattr(self, column)
            if source is None:
                value = ""
            elif callable(source):
                value = source(instance)
            else:
                value = getattr(instance, source)
            values[column] = fold(html.unescape(strip_tags(value or "")))
        return values


_registry = {}


def register(model, *, title, lead=None, body=None):
    """Index `model`: each column is an attribute name or a function of the instance.

    The index's tables come from a migration of the model's app
    (lechan.search.operations.CreateSearchIndex).
    """
    _registry[model._meta.label_lower] = Registration(model, title, lead, body)
    uid = f"lechan.search.{model._meta.label_lower}"
    post_save.connect(_on_save, sender=model, dispatch_uid=uid, weak=False)
    post_delete.connect(_on_delete, sender=model, dispatch_uid=uid, weak=False)


def registered_models():
    return [registration.model for registration in _registry.values()]


def _on_save(sender, instance, using=None, **kwargs):
    backend_for(using).index(_registry[sender._meta.label_lower], [instance])


def _on_delete(sender, instance, using=None, **kwargs):
    backend_for(using).remove(sender, instance.pk)


def rebuild(model, using="default", batch_size=2000):
    """Re-index every row of `model`; returns the number indexed."""
    backend = backend_for(using)
    registration = _registry[model._meta.label_lower]
    # One transaction: readers see the old index until the new one is whole, and SQLite
    # does not commit (and sync to disk) once per row.
    with transaction.atomic(using=using):
        backend.clear(model)
        count, batch = 0, []
        for instance in model._default_manager.using(using).iterator(chunk_size=batch_size):
            batch.append(instance)
            if len(batch) == batch_size:
                backend.index(registration, batch, fresh=True)
                count, batch = count + len(batch), []
        backend.index(registration, batch, fresh=True)
    backend.analyze([model])
    return count + len(batch)


def fill_empty(using="default"):
    """Fill the index tables that are empty (new, say, from a migration that just ran).

    A model whose index is not there (its app not migrated that far) is left alone.
    """
    backend = backend_for(using)
    indexed = [model for model in registered_models() if backend.exists(model)]
    for model in indexed:
        if backend.is_empty(model):
            rebuild(model, using=using)
    backend.analyze(indexed)


def on_post_migrate(sender, using="default", **kwargs):
    """After every migrate (and a test database's flush): the data step of the index.

    Its schema is the migrations' work; this only fills what they left empty.
    """
    fill_empty(using)

"""The migration operation that makes a model's search index, in the model's own app.

    from lechan.search.operations import CreateSearchIndex

    operations = [CreateSearchIndex("Article")]

The index is what the database vendor's backend lays out (FTS5 tables on SQLite; a table
of tsvectors with GIN and trigram indexes on PostgreSQL). Every statement is safe on an
index that exists: a database whose index was made before the migrations held it
migrates without change. The index is filled after the migrate (registry.fill_empty).

The statements are the backend's current layout: a later change to that layout reaches
databases already migrated only through a new migration in each app that has an index.
Until its migration has run (or after it is reversed) a model has no index: searching it,
or saving it, fails, so migrate before serving.
"""

from django.db.migrations.operations.base import Operation

from lechan.search.backends import backend_for


class CreateSearchIndex(Operation):
    """Make (forwards) or drop (backwards) the search index of `model_name`."""

    reversible = True

    def __init__(self, model_name):
        self.model_name = model_name

    def deconstruct(self):
        return self.__class__.__name__, [self.model_name], {}

    def state_forwards(self, app_label, state):
        """The index is no model: the project state does not change."""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, to_state, drop=False)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        self._run(app_label, schema_editor, from_state, drop=True)

    def _run(self, app_label, schema_editor, state, drop):
        model = state.apps.get_model(app_label, self.model_name)
        if not self.allow_migrate_model(schema_editor.connection.alias, model):
            return
        backend = backend_for(schema_editor.connection.alias)
        statements = backend.drop_statements(model) if drop else backend.create_statements(model)
        for sql in statements:
            schema_editor.execute(sql)

    def describe(self):
        return f"Create the search index of {self.model_name}"

    @property
    def migration_name_fragment(self):
        return f"{self.model_name.lower()}_search_index"

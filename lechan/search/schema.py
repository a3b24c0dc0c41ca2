"""The shape of the index: the columns of a document, the tiers that rank a match, and
the name of a model's index table. Shared by the registry, the backends and the
migration operation, so none of them imports another for it."""

COLUMNS = ("title", "lead", "body")
# search_rank of a match: all its words in the title, else in the title or lead, else anywhere.
TIERS = ((3, ("title",)), (2, ("title", "lead")), (1, COLUMNS))
LAST_TIER = TIERS[-1][0]


def table_name(model):
    """The index table of `model` (a historical model in a migration will do)."""
    return f"lechan_search_{model._meta.app_label}_{model._meta.model_name}"

"""The search backends: one per database vendor, on the base class's shared algorithms."""

from django.db import connections

from lechan.search.backends.base import Backend
from lechan.search.backends.postgresql import PostgreSQLBackend
from lechan.search.backends.sqlite import SQLiteBackend

BACKENDS = {"postgresql": PostgreSQLBackend, "sqlite": SQLiteBackend}

__all__ = ["BACKENDS", "Backend", "PostgreSQLBackend", "SQLiteBackend", "backend_for"]


def backend_for(using=None):
    """The backend of the database `using` (the default one if None)."""
    connection = connections[using or "default"]
    try:
        backend = BACKENDS[connection.vendor]
    except KeyError:
        raise NotImplementedError(f"Không hỗ trợ tìm kiếm trên {connection.vendor}") from None
    return backend(connection)

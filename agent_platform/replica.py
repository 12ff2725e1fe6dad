"""A read replica for heavy reads that tolerate a few seconds of replication lag — the statistics
endpoints and knowledge-base search (docs/operations.md, "Read replica").

With DATABASE_REPLICA_URL set, settings add the `replica` database and this router; code opts in
per query with `.using(read_replica())`, so nothing reads from the replica by accident (a service
that reads what it has just written must see it). Without the setting, `read_replica()` is the
primary and nothing changes."""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

REPLICA = "replica"


def read_replica() -> str:
    """The database alias for a lag-tolerant read: the replica when configured, else the primary."""
    return REPLICA if REPLICA in settings.DATABASES else DEFAULT_DB_ALIAS


class ReplicaRouter:
    """Writes and migrations never go to the replica; reads go there only when asked (`using`)."""

    def db_for_read(self, model, **hints):
        return None  # the default: the primary

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA

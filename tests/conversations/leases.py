"""A live worker elsewhere: another PostgreSQL session holding an AI reply's lease."""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection

from conversations.services import leases


@contextmanager
def lease_held_elsewhere(reply_id: int) -> Iterator[psycopg.Connection]:
    """Another database session (a worker still generating) holds the reply's lease for the block;
    closing it is that worker dying."""
    params = connection.settings_dict
    with psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"],
        password=params["PASSWORD"],
        host=params["HOST"] or "127.0.0.1",
        port=params["PORT"] or 5432,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [leases._NAMESPACE, leases._key(reply_id)])
        yield other

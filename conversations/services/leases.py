"""The processing lease of an AI reply: which worker generates it, and whether that worker is alive.

A worker generating a reply holds a PostgreSQL session advisory lock named after the reply, from the
claim (taken in the claim's transaction, so no committed `processing` reply is ever without its
holder) until the generation has settled. PostgreSQL ends the lock with the session: a worker that
dies — SIGKILL, OOM, a dropped connection — gives its replies up at once (a vanished host: at
PostgreSQL's TCP keepalive), with no heartbeat to write and no clock to trust. The stuck-work sweep
(services.scheduling) reads `pg_locks` and generates a `processing` reply that nobody holds again
within minutes.

Exactly once: generation starts only under the lease (`lease_take`, never waiting) and only for a
reply still `processing`; a run settles it (sends it, fails it) only while it still holds the lease
(`lease_held`, checked under the reply's row lock). A run whose connection dropped has lost its
lease and with it the right to settle: the sweep's run does. Redelivered or duplicate tasks find the
lease taken or the reply settled and do nothing.

The lock lives in the worker's database session, so the worker must own one for the task: its own
connection pool (the default) or PgBouncer in session mode — not transaction mode (docs/operations.md).

Locks are the two-key form (`_NAMESPACE`, reply id modulo 2³¹): an id that collides with a live
reply's only delays its recovery to the sweep's 16-minute backstop.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connection

from conversations.models import Message

logger = logging.getLogger(__name__)

_NAMESPACE = 0x5E7B  # pg_advisory_lock(key1, key2): key1 names this lock's kind (see also unanswered.py)
_KEYS = 2**31


def _key(reply_id: int) -> int:
    return int(reply_id) % _KEYS


def lease_take(reply_id: int) -> bool:
    """Take the reply's lease for this database session; False when another session holds it."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [_NAMESPACE, _key(reply_id)])
        return bool(cursor.fetchone()[0])


def lease_release(reply_id: int) -> None:
    """Give the lease back (a pooled connection outlives the task). A broken connection has lost it already."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [_NAMESPACE, _key(reply_id)])
    except DatabaseError:
        logger.warning("reply lease not released: the connection is gone (and the lease with it)")


def lease_held(reply_id: int) -> bool:
    """Whether this database session still holds the reply's lease (it did not reconnect meanwhile)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
            " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 2 AND pid = pg_backend_pid())",
            [_NAMESPACE, _key(reply_id)],
        )
        return bool(cursor.fetchone()[0])


def leases_alive(reply_ids: Iterable[int]) -> set[int]:
    """Of these replies, the ones some live session holds the lease of."""
    ids = list(reply_ids)
    if not ids:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid::bigint = %s"
            " AND objsubid = 2 AND objid::bigint = ANY(%s::bigint[])",
            [_NAMESPACE, [_key(i) for i in ids]],
        )
        held = {int(row[0]) for row in cursor.fetchall()}
    return {i for i in ids if _key(i) in held}


@contextmanager
def reply_lease(reply_id: int) -> Iterator[bool]:
    """`with reply_lease(id) as held:` the lease for the block, if free (`held` says); released after."""
    held = lease_take(reply_id)
    try:
        yield held
    finally:
        if held:
            lease_release(reply_id)


def reply_still_leased(reply: Message) -> bool:
    """Under the reply's row lock: it is still `processing` and this run still holds its lease. A run
    that lost it (its connection dropped; the sweep gave the reply to another run) settles nothing."""
    status = Message.objects.select_for_update().filter(pk=reply.pk).values_list("status", flat=True).first()
    if status == Message.Status.PROCESSING and lease_held(reply.pk):
        return True
    logger.warning("reply not settled: this run lost its lease", extra={"message_id": reply.pk, "status": status})
    return False

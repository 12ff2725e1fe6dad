"""Kommo's webhook deliveries as a queue: the stored row is the job.

Receiving (the hot path Kommo waits on, 2 s at most) is one SQL statement: the integration the URL's
secret names (connected, and the account the body names is its account) and the delivery's insert,
deduplicated by `ON CONFLICT DO NOTHING` on (workspace, SHA-256 of the body). The workspace id comes
only from the row the secret digest names — this is the webhook entry point's lookup
(`agent_platform.tenancy.entry_point_scope`) fused with the store; anything further (a redelivery's
stored row) runs inside that workspace's scope. No Celery message per request: a new row wakes the
drain — a Redis `SET NX` flag, and only the request that sets it sends one drain task — so under load
about one task a second is published however many webhooks arrive.

Nothing acknowledged is lost: the 200 goes out after the row is committed. The drain
(`webhooks.deliveries_drain`, woken at once, and run by beat every few seconds whatever happens) claims
`received` rows with `FOR UPDATE SKIP LOCKED` — two drains never take the same row — and a claim older
than `CLAIM_TIMEOUT` (its worker died) is claimable again. A row stored while Redis or the broker is
down is found by the next beat drain.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import timedelta

import psycopg
import redis
from django.conf import settings
from django.db import connection, transaction

from agent_platform.celery import enqueue_on_commit
from agent_platform.crypto import secret_digest
from agent_platform.redis_pool import redis_client
from agent_platform.tenancy import workspace_scope
from integrations.kommo.exceptions import WebhookBodyInvalid, WebhookNotFound
from integrations.kommo.models import KommoIntegration, KommoWebhookDelivery
from integrations.kommo.webhook_parser import parse_webhook

log = logging.getLogger(__name__)

DRAIN_TASK = "integrations.tasks.kommo_deliveries_drain_task"
WAKE_KEY = "ap:kommo:deliveries:wake"
WAKE_TTL_MS = 1000  # a wake whose drain task was lost stops suppressing new wakes after a second
CLAIM_TIMEOUT = timedelta(minutes=10)  # longer than any delivery's processing (Kommo calls included)
MAX_AGE = timedelta(days=1)  # older unprocessed rows stay for inspection, unclaimed

_RECEIVE_SQL = f"""
WITH integration AS (
    SELECT workspace_id FROM {KommoIntegration._meta.db_table}
    WHERE webhook_secret_digest = %(secret)s AND status = %(connected)s
      AND CASE WHEN %(account_id)s <> '' THEN account_id::text = %(account_id)s
               ELSE %(subdomain)s <> '' AND account_subdomain = %(subdomain)s END
), stored AS (
    INSERT INTO {KommoWebhookDelivery._meta.db_table}
        (workspace_id, kind, digest, body, status, events, error, received_at)
    SELECT workspace_id, 'events', %(digest)s, %(body)s, %(received)s, %(events)s, '', now() FROM integration
    ON CONFLICT (workspace_id, digest) DO NOTHING
    RETURNING id
)
SELECT integration.workspace_id, (SELECT id FROM stored) FROM integration
"""  # noqa: S608 (models' table names; every value is a parameter)

_CLAIM_SQL = f"""
UPDATE {KommoWebhookDelivery._meta.db_table} SET claimed_at = now()
WHERE id IN (
    SELECT id FROM {KommoWebhookDelivery._meta.db_table}
    WHERE status = %(received)s AND (claimed_at IS NULL OR claimed_at < now() - %(timeout)s)
      AND received_at >= now() - %(max_age)s
    ORDER BY id LIMIT %(limit)s
    FOR UPDATE SKIP LOCKED
)
RETURNING workspace_id, id
"""  # noqa: S608 (a model's table name; every value is a parameter)


def delivery_receive(*, secret: str, body: bytes) -> tuple[KommoWebhookDelivery, bool]:
    """Store one webhook request for the workspace whose integration `secret` names: (delivery,
    created); a redelivery returns the stored one and changes nothing. An unknown secret, a
    disconnected integration and another account's body are the same WebhookNotFound (a guess learns
    nothing); a damaged or oversized body is WebhookBodyInvalid."""
    if len(body) > settings.KOMMO_WEBHOOK_MAX_BYTES:
        raise WebhookBodyInvalid(f"The body is larger than {settings.KOMMO_WEBHOOK_MAX_BYTES} bytes.")
    parsed = parse_webhook(body)
    digest = hashlib.sha256(body).hexdigest()
    row = _execute_prepared(
        _RECEIVE_SQL,
        {
            "secret": secret_digest(secret),
            "connected": KommoIntegration.Status.CONNECTED,
            "account_id": parsed.account_id,
            "subdomain": parsed.account_subdomain,
            "digest": digest,
            "body": body.decode("utf-8", errors="replace"),
            "received": KommoWebhookDelivery.Status.RECEIVED,
            "events": len(parsed.events),
        },
    )
    if row is None:
        raise WebhookNotFound()
    workspace_id, delivery_id = row
    if delivery_id is None:  # a redelivery
        with workspace_scope(workspace_id):
            return KommoWebhookDelivery.objects.get(digest=digest), False
    transaction.on_commit(drain_wake)
    return KommoWebhookDelivery(pk=delivery_id, workspace_id=workspace_id, events=len(parsed.events)), True


def _execute_prepared(sql: str, params: dict) -> tuple | None:
    """One statement's first row, the statement prepared once per pooled connection: PostgreSQL's
    planning was half its CPU per webhook (bench/kommo_webhooks); Django's cursors bind on the client
    and never prepare. Without Django's pool (behind PgBouncer, whose transaction pooling may not
    keep prepared statements) it is not prepared. Errors are Django's, as from its cursors."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=connection.pool is not None)
        return cursor.fetchone()


def drain_wake() -> None:
    """Make sure a drain runs soon: the caller that sets the flag sends the task; while it is set
    (a drain is queued and has not started), others send nothing. Redis or the broker down is
    logged, not raised: the row is stored, and beat's drain finds it."""
    try:
        woken = redis_client().set(WAKE_KEY, "1", nx=True, px=WAKE_TTL_MS)
    except redis.RedisError:
        log.warning("Kommo deliveries: the drain was not woken (Redis unreachable)", exc_info=True)
        return
    if woken:
        enqueue_on_commit(DRAIN_TASK)


def drain_started() -> None:
    """A drain starts: later rows need a wake of their own (the flag is cleared before the claims)."""
    try:
        redis_client().delete(WAKE_KEY)
    except redis.RedisError:
        log.warning("Kommo deliveries: the wake flag was not cleared (Redis unreachable)", exc_info=True)


def deliveries_claim(*, limit: int = 25) -> list[tuple[int, int]]:
    """(workspace id, delivery id) of up to `limit` unprocessed deliveries, oldest first, now claimed
    by the caller (ops: across workspaces). Concurrent callers never get the same row."""
    with connection.cursor() as cursor:
        cursor.execute(
            _CLAIM_SQL,
            {
                "received": KommoWebhookDelivery.Status.RECEIVED,
                "timeout": CLAIM_TIMEOUT,
                "max_age": MAX_AGE,
                "limit": limit,
            },
        )
        return sorted(cursor.fetchall(), key=lambda row: row[1])

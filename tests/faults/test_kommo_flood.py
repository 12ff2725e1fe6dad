"""Fault: a flood of Kommo webhooks — 30 % of them exact redeliveries, all shuffled (out of order) —
posted concurrently over real HTTP to the platform's web server, while a real worker drains them and
answers through Salesbot on the local Kommo (7 requests/s, as Kommo).

The bodies are the local Kommo's own `message[add]` webhooks for customers writing on WhatsApp in
many chats (each chat its lead). Every distinct message must be stored once and answered once; the
local Kommo must have received exactly one bot message per reply we marked sent (0 duplicates),
every chat at least one; nothing may stay in flight.

The suite floods 200 webhooks; `bench/kommo_flood.py` runs this test with 1,000
(`KOMMO_FLOOD_WEBHOOKS=1000`)."""

from __future__ import annotations

import os
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from integrations.kommo.models import KommoWebhookDelivery
from tests.faults.conftest import FINAL_AI
from tests.faults.kommo_platform import bot_sends, dispatches, reply_states, requests_to, sent_replies
from tests.faults.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

WEBHOOKS = int(os.environ.get("KOMMO_FLOOD_WEBHOOKS", "200"))
DUPLICATE_SHARE = 0.3
MESSAGES_PER_CHAT = 7
CLIENT_THREADS = 16
DRAIN_TIMEOUT = float(os.environ.get("KOMMO_FLOOD_TIMEOUT", "60"))


def captured_message_webhooks(kommo, account, distinct: int) -> list[bytes]:
    """Customers write in `distinct / MESSAGES_PER_CHAT` chats; the `message[add]` bodies the local
    Kommo would post are kept (not sent): the test delivers them itself, shuffled and repeated."""
    bodies: list[bytes] = []

    def capture(account_, setting, item):
        if setting == "add_message":
            bodies.append(kommo.emitter.body(account_, setting, item).encode())

    kommo.emitter.emit = capture  # this fake only: the other events (lead, talk) are not delivered
    chats = max(1, distinct // MESSAGES_PER_CHAT)
    for n in range(distinct):
        chat = n % chats
        kommo.customer_writes(
            account, origin="whatsapp", text=f"Question {n}: do you deliver?", name=f"C{chat}", phone=f"+5511{chat:08d}"
        )
    return bodies


def flood(url: str, bodies: list[bytes]) -> tuple[Counter, float]:
    local = threading.local()

    def post(body: bytes) -> int:
        session = getattr(local, "session", None) or requests.Session()
        local.session = session
        try:
            headers = {"Content-Type": "application/x-www-form-urlencoded"}
            return session.post(url, data=body, headers=headers, timeout=10).status_code
        except requests.RequestException:
            return 0

    started = time.monotonic()
    with ThreadPoolExecutor(CLIENT_THREADS) as pool:
        statuses = Counter(pool.map(post, bodies))
    return statuses, time.monotonic() - started


def customer_messages(workspace) -> list[Message]:
    with workspace_scope(workspace.pk):
        return list(Message.objects.filter(direction="in").select_related("conversation"))


def test_a_flood_of_kommo_webhooks_with_redeliveries_out_of_order(kommo_platform, workspace, broker):
    kommo, account = kommo_platform.kommo, kommo_platform.account
    duplicates = round(WEBHOOKS * DUPLICATE_SHARE)
    distinct = WEBHOOKS - duplicates
    bodies = captured_message_webhooks(kommo, account, distinct)
    assert len(bodies) == distinct
    rng = random.Random(20261206)
    posted = bodies + [rng.choice(bodies) for _ in range(duplicates)]
    rng.shuffle(posted)

    calls_before = len(requests_to(kommo, "/api/v4/"))
    started = time.monotonic()
    statuses, elapsed = flood(kommo_platform.webhook_url, posted)

    def settled():
        broker.send_task("integrations.tasks.kommo_deliveries_drain_task")  # what beat does every 5 s
        incoming = customer_messages(workspace)
        states = reply_states(workspace)
        if len(incoming) < distinct or any(m.status != "answered" for m in incoming):
            return False
        if any(state not in FINAL_AI for state in states):
            return False
        return bot_sends(account) == sent_replies(workspace)

    try:
        wait_until(settled, DRAIN_TIMEOUT, "every message answered and every reply final", interval=2)
    except AssertionError:
        incoming = customer_messages(workspace)
        print(
            f"\nstuck: {len(incoming)}/{distinct} stored, {Counter(m.status for m in incoming)}; replies "
            f"{dict(reply_states(workspace))}; dispatches {dict(dispatches(workspace))}; "
            f"sends {sum(bot_sends(account).values())} vs sent {sum(sent_replies(workspace).values())}"
        )
        raise
    drained = time.monotonic() - started
    # Kommo's 7 requests/s bound the drain: its floor is the API calls it took (lead look-ups, bot
    # runs, continues) at that rate.
    floor = (len(requests_to(kommo, "/api/v4/")) - calls_before) / 7
    time.sleep(2)  # anything late (a second send) would show now

    incoming = customer_messages(workspace)
    ids = Counter(m.external_id for m in incoming)
    sends, replies = bot_sends(account), sent_replies(workspace)
    with workspace_scope(workspace.pk):
        deliveries = Counter(KommoWebhookDelivery.objects.values_list("status", flat=True))
        answered_by = Counter(
            pk
            for answers in Message.objects.filter(author="ai", status="sent").values_list("answers", flat=True)
            for pk in answers
        )
    chats = {m.conversation.external_chat_id for m in incoming}
    lost = distinct - len(ids)
    print(
        f"\n[faults] Kommo flood: {len(posted)} webhooks ({distinct} distinct messages in {len(chats)} chats, "
        f"{duplicates} redeliveries, shuffled) posted by {CLIENT_THREADS} threads in {elapsed:.1f} s = "
        f"{len(posted) / elapsed:.0f} accepted/s; answers {dict(statuses)}; stored deliveries {dict(deliveries)}; "
        f"drained and answered in {drained:.1f} s (Kommo-rate floor {floor:.1f} s, ratio {drained / floor:.2f}); "
        f"replies {dict(reply_states(workspace))}; "
        f"dispatches {dict(dispatches(workspace))}; bot messages at Kommo {sum(sends.values())} for "
        f"{sum(replies.values())} sent replies; duplicate sends {sum(max(0, sends[c] - replies[c]) for c in sends)}; "
        f"lost {lost}; load {Path('/proc/loadavg').read_text().split()[:3]}"
    )
    assert statuses == Counter({200: len(posted)}), statuses
    assert deliveries == Counter({"processed": distinct}), deliveries
    assert len(ids) == distinct and max(ids.values()) == 1, ids.most_common(3)
    assert all(m.status == "answered" for m in incoming)
    assert set(answered_by) == {m.pk for m in incoming} and max(answered_by.values()) == 1
    assert sends == replies, (sends - replies, replies - sends)
    assert set(sends) == chats  # every chat got an answer

"""Faults of Kommo on the reply path, end to end (customers write on WhatsApp in the local Kommo, its
webhooks reach the platform's web server, a real worker answers through Salesbot):

- Kommo answers 429 (with Retry-After) and 5xx to the bot run and the continue
  for a while: every reply still goes out exactly once after recovery, Retry-After is obeyed and our
  own pace never exceeds Kommo's 7 requests/s (the shared rate window holds for retries too);
- Kommo keeps failing the continue: the reply fails visibly after KOMMO_MAX_ATTEMPTS, and the
  operator's retry sends it once;
- the Salesbot's continue expires before we hand the reply over: no fallback exists for a WhatsApp
  chat of another integration (Kommo's Chats API cannot write there, KOMMO.md A0.2), so the reply
  fails visibly, saying so, and a retry runs the bot again and sends it once."""

from __future__ import annotations

import itertools
from collections import Counter

import pytest
from django.conf import settings

from agent_platform.tenancy import workspace_scope
from conversations.models import Message
from tests.faults.conftest import retry_failed_replies
from tests.faults.kommo_platform import bot_sends, dispatches, reply_states, requests_to, sent_replies
from tests.faults.processes import wait_until

pytestmark = pytest.mark.django_db(transaction=True)

RUN, CONTINUE = "/api/v4/bots/run", "/api/v4/salesbot/"


def customers_write(kommo, account, chats: int) -> list[str]:
    written = [
        kommo.customer_writes(account, origin="whatsapp", text="Do you deliver?", name=f"C{n}", phone=f"+5511{n:08d}")
        for n in range(chats)
    ]
    return [event["chat_id"] for event in written]


def customer_states(workspace) -> Counter:
    with workspace_scope(workspace.pk):
        return Counter(Message.objects.filter(direction="in").values_list("status", flat=True))


def failed_reasons(workspace) -> list[str]:
    with workspace_scope(workspace.pk):
        return list(Message.objects.filter(author="ai", status="failed").values_list("status_reason", flat=True))


def busiest_second(kommo, since: int) -> int:
    """The most requests the local Kommo's account API received within any 1.0 s (from request `since`)."""
    with kommo.lock:
        times = sorted(r.at for r in kommo.requests[since:] if r.path.startswith("/api/v4/"))
    return max((sum(1 for u in times[i:] if u - t < 1.0) for i, t in enumerate(times)), default=0)


def gaps_after_429(kommo, path: str) -> list[float]:
    """Seconds between each request of `path` Kommo answered 429 and the next one for the same lead."""
    by_lead: dict[int, list] = {}
    for call in requests_to(kommo, path):
        by_lead.setdefault(call.body[0]["entity_id"], []).append(call)
    return [
        round(b.at - a.at, 2) for calls in by_lead.values() for a, b in itertools.pairwise(calls) if a.status == 429
    ]


def test_kommo_429_and_5xx_on_the_reply_path_then_every_reply_goes_out_once(kommo_platform, workspace):
    kommo, account = kommo_platform.kommo, kommo_platform.account
    since = len(kommo.requests)  # the worker's calls from here (the test's own setup calls are not paced with them)
    kommo.fail("429", times=2, path_prefix=RUN, retry_after=1)  # longer than the tests' 0.5 s cap: the task waits
    kommo.fail("500", times=2, path_prefix=RUN)
    kommo.fail("429", times=3, path_prefix=CONTINUE)  # no Retry-After: jittered backoff in the call
    kommo.fail("502", times=2, path_prefix=CONTINUE)
    chats = customers_write(kommo, account, 6)

    def done():
        return customer_states(workspace) == Counter({"answered": len(chats)}) and bot_sends(account) == sent_replies(
            workspace
        )

    wait_until(done, 75, "every chat answered after Kommo recovered", interval=0.5)
    sends = bot_sends(account)
    answers = Counter(r.status for r in kommo.requests if r.path.startswith(("/api/v4/bots", CONTINUE)))
    print(
        f"\n[faults] Kommo 429/5xx: {len(chats)} chats; scripted 429 (Retry-After 1 s) ×2 "
        f"and 500 ×2 on bots/run, 429 ×3 and 502 ×2 on continue; replies {dict(reply_states(workspace))}; dispatches "
        f"{dict(dispatches(workspace))}; bot messages per chat {sorted(sends.values())}; busiest second at Kommo "
        f"{busiest_second(kommo, since)} requests; bot-run calls {len(requests_to(kommo, RUN))}, continue calls "
        f"{len(requests_to(kommo, CONTINUE))}; answers {dict(answers)}; seconds to the next bot run after a 429 "
        f"{gaps_after_429(kommo, RUN)}"
    )
    assert sends == Counter(dict.fromkeys(chats, 1)), sends
    assert reply_states(workspace) == Counter({"sent": len(chats)})
    assert busiest_second(kommo, since) <= settings.KOMMO_RATE_LIMIT_RPS
    assert min(gaps_after_429(kommo, RUN)) >= 1.0  # Retry-After: 1 obeyed
    assert kommo.rule_count() == 0  # every scripted failure was met


def test_kommo_keeps_failing_the_continue_then_the_reply_fails_visibly_and_a_retry_sends_it_once(
    kommo_platform, workspace, owner
):
    kommo, account = kommo_platform.kommo, kommo_platform.account
    kommo.fail("503", times=None, path_prefix=CONTINUE)
    chats = customers_write(kommo, account, 1)
    wait_until(lambda: failed_reasons(workspace), 40, "the reply failed after the last attempt", interval=0.5)
    attempts = len(requests_to(kommo, CONTINUE))
    reasons = failed_reasons(workspace)
    kommo.heal()
    retried = retry_failed_replies(kommo_platform.web.url, owner, workspace)
    wait_until(lambda: sent_replies(workspace) and bot_sends(account), 30, "the retried reply sent", interval=0.5)
    print(
        f"\n[faults] Kommo continue 503 until the last attempt: {attempts} continue calls "
        f"(KOMMO_MAX_ATTEMPTS={settings.KOMMO_MAX_ATTEMPTS}), reply failed: {reasons}; operator retried {retried}; "
        f"then replies {dict(reply_states(workspace))}, bot messages {dict(bot_sends(account))}"
    )
    assert attempts == settings.KOMMO_MAX_ATTEMPTS
    assert len(reasons) == 1 and "503" in reasons[0]
    assert bot_sends(account) == Counter({chats[0]: 1})
    assert customer_states(workspace) == Counter({"answered": 1})


def test_an_expired_salesbot_continue_fails_the_reply_visibly_and_a_retry_sends_it_once(
    kommo_platform, workspace, owner
):
    kommo, account = kommo_platform.kommo, kommo_platform.account
    kommo.continue_ttl = 0  # every continue id has expired by the time we use it
    chats = customers_write(kommo, account, 2)
    wait_until(lambda: len(failed_reasons(workspace)) == 2, 40, "both replies failed visibly", interval=0.5)
    reasons = failed_reasons(workspace)
    at_failure = (dict(reply_states(workspace)), dict(customer_states(workspace)), sum(bot_sends(account).values()))
    kommo.continue_ttl = 600
    retry_failed_replies(kommo_platform.web.url, owner, workspace)
    wait_until(lambda: customer_states(workspace) == Counter({"answered": 2}), 30, "the retries sent", interval=0.5)
    print(
        f"\n[faults] expired Salesbot continue: {len(chats)} chats; at failure replies, customer messages, bot "
        f"messages = {at_failure}; reason {reasons[0]!r}; after the operator's retry replies "
        f"{dict(reply_states(workspace))}, bot messages per chat {sorted(bot_sends(account).values())}"
    )
    assert at_failure[0] == {"failed": 2} and at_failure[2] == 0
    assert all("expired" in reason and "retry" in reason for reason in reasons)
    assert bot_sends(account) == Counter(dict.fromkeys(chats, 1))

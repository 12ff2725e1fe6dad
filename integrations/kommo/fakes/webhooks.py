"""The account webhook emitter (KOMMO.md A3).

Every event is POSTed, from one background thread, to each registered destination whose
`settings` include its code, as `application/x-www-form-urlencoded` in PHP bracket notation
(`leads[add][0][id]=…&account[subdomain]=…&account[id]=…&account[_links][self]=…`), with
`User-Agent: amoCRM-WebHook-client/1.0` and a 2 s timeout. One event, one POST, one item at index 0.

Validity and disabling (as the amoCRM docs say): a status outside 100–299, a timeout or a refused
connection is an invalid response. A hook is disabled when more than `disable_after` (100) invalid
responses arrived in the last 2 hours and the last one was invalid; `disabled: true` then shows in
`GET /api/v4/webhooks`, and nothing more is sent to it until it is registered again (a POST of the
same destination re-enables it [M]).

Retries, as the amoCRM docs' webhook page describes them ("Ожидаемый ответ"): after an invalid
response, attempt 2 comes 5 min later and attempt 3 15 min after that, whatever the failure; attempts
4 (+15 min) and 5 (+1 h) only when the previous answer was 499 or 5xx (a timeout, a refused connection
or a 4xx ends the series at attempt 3). `retry_delays` holds the delays (`DOCUMENTED_RETRY_DELAYS` in
the demo server; none by default in tests, where minutes would stall `wait`); every attempt counts
toward the disable rule.

Setting codes → body root: add_lead/update_lead/status_lead/responsible_lead/delete_lead/restore_lead/
note_lead → `leads[add|update|status|responsible|delete|restore|note]`; the same `_contact` codes →
`contacts[…]`; `_company` codes → `contacts[…]` with `type=company` (as in the captured samples);
add_talk/update_talk → `talk[add|update]`; add_message → `message[add]`; add_unsorted/
delete_unsorted/status_unsorted → `unsorted[…]`; add_task/update_task/delete_task → `task[…]`.
The talk, message, unsorted, note and task item keys are [M] (KOMMO.md lists message keys [C]).
"""

from __future__ import annotations

import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import requests

from integrations.kommo.fakes.server import php_form
from integrations.kommo.fakes.state import FakeAccount, WebhookDelivery

if TYPE_CHECKING:
    from integrations.kommo.fakes.fake import FakeKommo

USER_AGENT = "amoCRM-WebHook-client/1.0"
DOCUMENTED_RETRY_DELAYS = (300.0, 900.0, 900.0, 3600.0)  # before attempts 2, 3, 4, 5
RETRIES_AFTER_ANY_FAILURE = 2  # attempts 4 and 5 follow only a 499 or a 5xx


def retry_due(attempt: int, status: int | None, delays: tuple[float, ...]) -> bool:
    """Whether an invalid delivery's `attempt` (answered with `status`, None on a timeout or a refused
    connection) is followed by another one."""
    if attempt > len(delays):
        return False
    return attempt <= RETRIES_AFTER_ANY_FAILURE or status == 499 or (status is not None and 500 <= status <= 599)


SETTINGS: dict[str, tuple[str, str]] = {}
for _entity, _root in (("lead", "leads"), ("contact", "contacts"), ("company", "contacts")):
    for _action in ("add", "update", "delete", "restore", "responsible", "note"):
        SETTINGS[f"{_action}_{_entity}"] = (_root, _action)
SETTINGS["status_lead"] = ("leads", "status")
for _action in ("add", "update", "delete"):
    SETTINGS[f"{_action}_task"] = ("task", _action)
SETTINGS.update(
    {
        "add_talk": ("talk", "add"),
        "update_talk": ("talk", "update"),
        "add_message": ("message", "add"),
        "add_unsorted": ("unsorted", "add"),
        "delete_unsorted": ("unsorted", "delete"),
        "status_unsorted": ("unsorted", "status"),
    }
)


@dataclass
class _Job:
    account: FakeAccount
    destination: str
    setting: str
    body: str
    attempt: int = 1


class WebhookEmitter:
    def __init__(self, kommo: FakeKommo) -> None:
        self.kommo = kommo
        self.timeout = 2.0
        self.disable_after = 100
        self.window_seconds = 2 * 3600
        self.retry_delays: tuple[float, ...] = ()
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._pending = 0
        self._idle = threading.Condition()
        self._invalid: dict[tuple[int, str], deque[float]] = {}
        self._timers: list[threading.Timer] = []
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="fake-kommo-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        for timer in self._timers:
            timer.cancel()
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=5)
            self._thread = None

    # -- emitting -------------------------------------------------------------------------------
    def body(self, account: FakeAccount, setting: str, item: dict[str, Any]) -> str:
        root, action = SETTINGS[setting]
        return php_form(
            {
                root: {action: [item]},
                "account": {"subdomain": account.subdomain, "id": account.id, "_links": {"self": account.base_url}},
            }
        )

    def emit(self, account: FakeAccount, setting: str, item: dict[str, Any]) -> None:
        """Queue the event for every active hook subscribed to `setting`."""
        body = self.body(account, setting, item)
        for hook in account.webhooks:
            if setting in hook["settings"] and not hook["disabled"]:
                self._enqueue(_Job(account, hook["destination"], setting, body))

    def _enqueue(self, job: _Job) -> None:
        with self._idle:
            self._pending += 1
        self._queue.put(job)

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until every queued delivery (retries due within `timeout` included) is done."""
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._pending:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self._idle.wait(left)
        return True

    # -- delivering -----------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                self._deliver(job)
            finally:
                with self._idle:
                    self._pending -= 1
                    self._idle.notify_all()

    def _hook(self, job: _Job) -> dict[str, Any] | None:
        return next((h for h in job.account.webhooks if h["destination"] == job.destination), None)

    def _deliver(self, job: _Job) -> None:
        with self.kommo.lock:
            hook = self._hook(job)
            if hook is None or hook["disabled"]:
                return
        delivery = WebhookDelivery(job.destination, job.setting, job.body, attempt=job.attempt, at=self.kommo.now())
        try:
            response = requests.post(
                job.destination,
                data=job.body.encode(),
                headers={"Content-Type": "application/x-www-form-urlencoded", "User-Agent": USER_AGENT},
                timeout=self.timeout,
                allow_redirects=False,
            )
            delivery.status = response.status_code
            delivery.valid = 100 <= response.status_code <= 299
        except requests.RequestException as exc:
            delivery.error = type(exc).__name__
        with self.kommo.lock:
            job.account.deliveries.append(delivery)
            if not delivery.valid:
                self._count_invalid(job)
        if not delivery.valid and retry_due(job.attempt, delivery.status, self.retry_delays):
            delay = self.retry_delays[job.attempt - 1]
            retry = _Job(job.account, job.destination, job.setting, job.body, job.attempt + 1)
            with self._idle:
                self._pending += 1
            timer = threading.Timer(delay, self._queue.put, args=(retry,))
            timer.daemon = True
            self._timers.append(timer)
            timer.start()

    def _count_invalid(self, job: _Job) -> None:
        now = self.kommo.now()
        history = self._invalid.setdefault((job.account.id, job.destination), deque())
        history.append(now)
        while history and history[0] < now - self.window_seconds:
            history.popleft()
        if len(history) > self.disable_after:
            hook = self._hook(job)
            if hook is not None:
                hook["disabled"] = True
                hook["updated_at"] = int(now)

    def reset_history(self, account: FakeAccount, destination: str) -> None:
        self._invalid.pop((account.id, destination), None)

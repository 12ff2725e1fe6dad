"""The in-memory model of the local Kommo: accounts (with their seeded pipelines, custom fields and
users), integrations, tokens, bots, chat channels, and the id counters.

Entities are kept in their API v4 shape (plain dicts, as `GET /api/v4/leads/{id}` would show them
without `_links`), so the API answers are a copy plus links. Everything is guarded by the owning
`FakeKommo`'s lock; nothing here talks HTTP.
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES = ("leads", "contacts", "companies")

# Ids look like real ones (7–8 digits), and are unique across accounts as in Kommo.
_ID_BASES = {
    "account": 31_000_000,
    "user": 10_500_000,
    "pipeline": 7_800_000,
    "status": 63_000_000,
    "field": 1_190_000,
    "enum": 870_000,
    "lead": 18_000_000,
    "contact": 9_400_000,
    "company": 9_900_000,
    "note": 120_000_000,
    "task": 40_000_000,
    "talk": 100,
    "webhook": 5_000_000,
    "bot": 51_000,
    "continue": 730_000,
    "tag": 300_000,
}


class IdCounters:
    def __init__(self) -> None:
        self._counters = {kind: itertools.count(base + 1) for kind, base in _ID_BASES.items()}

    def next(self, kind: str) -> int:
        return next(self._counters[kind])


@dataclass
class FakeIntegration:
    client_id: str
    client_secret: str
    redirect_uri: str
    revoke_hook_url: str | None = None
    name: str = "AI Agent Platform"
    installed_on: set[int] = field(default_factory=set)  # account ids


@dataclass
class TokenRecord:
    token: str
    kind: str  # "access" | "refresh" | "long_lived" | "code"
    account_id: int
    client_id: str
    user_id: int
    expires_at: float
    revoked: bool = False
    used: bool = False
    pair: str = ""  # access and refresh tokens of one grant share it
    redirect_uri: str = ""


@dataclass
class FakeBot:
    id: int
    account_id: int
    name: str
    widget_request_url: str
    data: dict[str, Any]
    client_id: str | None
    answer_template: str = "{{json.answer}}"
    amojo_id: str = field(default_factory=lambda: str(uuid.uuid4()))


@dataclass
class ContinueRecord:
    id: int
    bot_id: int
    account_id: int
    entity_type: str
    entity_id: int
    expires_at: float
    used: bool = False


@dataclass
class ChatChannel:
    channel_id: str
    secret: str
    webhook_url: str
    code: str = "ai.agent.platform"
    client_id: str | None = None  # the integration it belongs to: revoking it disconnects the channel
    bot_id: str = field(default_factory=lambda: str(uuid.uuid4()))
    connected: dict[str, str] = field(default_factory=dict)  # amojo_id -> scope_id


@dataclass
class WebhookDelivery:
    destination: str
    setting: str
    body: str  # the form-encoded body as sent
    attempt: int = 1
    status: int | None = None  # None: no answer (timeout, refused)
    error: str = ""
    valid: bool = False
    at: float = 0.0


@dataclass
class FakeAccount:
    id: int
    subdomain: str
    name: str
    amojo_id: str
    uuid: str
    created_at: int
    base_domain: str = ""  # "127.0.0.1:PORT": set when its listener starts
    users: dict[int, dict[str, Any]] = field(default_factory=dict)
    pipelines: dict[int, dict[str, Any]] = field(default_factory=dict)
    custom_fields: dict[str, dict[int, dict[str, Any]]] = field(
        default_factory=lambda: {kind: {} for kind in ENTITY_TYPES}
    )
    leads: dict[int, dict[str, Any]] = field(default_factory=dict)
    contacts: dict[int, dict[str, Any]] = field(default_factory=dict)
    companies: dict[int, dict[str, Any]] = field(default_factory=dict)
    links: list[dict[str, Any]] = field(default_factory=list)
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)
    tasks: dict[int, dict[str, Any]] = field(default_factory=dict)
    events: list[dict[str, Any]] = field(default_factory=list)
    talks: dict[int, dict[str, Any]] = field(default_factory=dict)
    chats: dict[str, dict[str, Any]] = field(default_factory=dict)
    messages: list[dict[str, Any]] = field(default_factory=list)
    unsorted: list[dict[str, Any]] = field(default_factory=list)
    webhooks: list[dict[str, Any]] = field(default_factory=list)  # the registered subscriptions
    deliveries: list[WebhookDelivery] = field(default_factory=list)  # every webhook POST made
    salesbots: dict[int, FakeBot] = field(default_factory=dict)
    salesbot_runs: list[dict[str, Any]] = field(default_factory=list)
    continues: dict[int, ContinueRecord] = field(default_factory=dict)
    rate_window: list[float] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return f"http://{self.base_domain}"

    def entities(self, entity_type: str) -> dict[int, dict[str, Any]]:
        return {"leads": self.leads, "contacts": self.contacts, "companies": self.companies}[entity_type]

    @property
    def admin(self) -> dict[str, Any]:
        return next(u for u in self.users.values() if u["rights"]["is_admin"])

    @property
    def main_pipeline(self) -> dict[str, Any]:
        return next(p for p in self.pipelines.values() if p["is_main"])

    def status(self, status_id: int, pipeline_id: int | None = None) -> dict[str, Any] | None:
        for pipeline in self.pipelines.values():
            if pipeline_id is not None and pipeline["id"] != pipeline_id:
                continue
            for status in pipeline["_embedded"]["statuses"]:
                if status["id"] == status_id:
                    return status
        return None

    def field_by_code(self, entity_type: str, code: str) -> dict[str, Any] | None:
        code = code.upper()
        return next((f for f in self.custom_fields[entity_type].values() if (f["code"] or "").upper() == code), None)


# -- seeding ------------------------------------------------------------------------------------


def _status(ids: IdCounters, account_id: int, pipeline_id: int, name: str, sort: int, color: str, **kw) -> dict:
    status_id = kw.pop("status_id", None) or ids.next("status")
    return {
        "id": status_id,
        "name": name,
        "sort": sort,
        "is_editable": kw.get("is_editable", True),
        "pipeline_id": pipeline_id,
        "color": color,
        "type": kw.get("type", 0),
        "account_id": account_id,
    }


def _pipeline(ids: IdCounters, account_id: int, name: str, sort: int, is_main: bool, stages: list[str]) -> dict:
    pipeline_id = ids.next("pipeline")
    colors = ["#99ccff", "#ffff99", "#ffcc66", "#ccff66", "#ffc8c8", "#d6eaff"]
    statuses = [
        _status(ids, account_id, pipeline_id, "Incoming leads", 10, "#c1c1c1", type=1, is_editable=False),
    ]
    for index, stage in enumerate(stages):
        statuses.append(_status(ids, account_id, pipeline_id, stage, 20 + index * 10, colors[index % len(colors)]))
    statuses.append(
        _status(ids, account_id, pipeline_id, "Closed - won", 10000, "#CCFF66", status_id=142, is_editable=False)
    )
    statuses.append(
        _status(ids, account_id, pipeline_id, "Closed - lost", 11000, "#D5D8DB", status_id=143, is_editable=False)
    )
    return {
        "id": pipeline_id,
        "name": name,
        "sort": sort,
        "is_main": is_main,
        "is_unsorted_on": True,
        "is_archive": False,
        "account_id": account_id,
        "_embedded": {"statuses": statuses},
    }


def _field(
    ids: IdCounters,
    account_id: int,
    entity_type: str,
    name: str,
    kind: str,
    sort: int,
    *,
    code: str | None = None,
    enums: list[str] | list[tuple[str, str]] | None = None,
    predefined: bool = False,
) -> dict[str, Any]:
    enum_rows = None
    if enums is not None:
        enum_rows = []
        for index, item in enumerate(enums):
            value, enum_code = (item, None) if isinstance(item, str) else item
            row: dict[str, Any] = {"id": ids.next("enum"), "value": value, "sort": (index + 1) * 2}
            if enum_code:
                row["code"] = enum_code
            enum_rows.append(row)
    return {
        "id": ids.next("field"),
        "name": name,
        "type": kind,
        "account_id": account_id,
        "code": code,
        "sort": sort,
        "is_api_only": False,
        "enums": enum_rows,
        "group_id": None,
        "required_statuses": [],
        "is_deletable": not predefined,
        "is_predefined": predefined,
        "entity_type": entity_type,
        "remind": None,
        "triggers": [],
        "currency": "USD" if kind == "monetary" else None,
        "hidden_statuses": [],
        "chained_lists": None,
        "nested": None,
    }


_USER_RIGHTS_FULL = {"view": "A", "edit": "A", "add": "A", "delete": "A", "export": "A"}


def _user(ids: IdCounters, name: str, email: str, *, is_admin: bool) -> dict[str, Any]:
    entity_rights = dict(_USER_RIGHTS_FULL) if is_admin else {**_USER_RIGHTS_FULL, "delete": "D", "export": "D"}
    return {
        "id": ids.next("user"),
        "name": name,
        "email": email,
        "lang": "en",
        "rights": {
            "leads": dict(entity_rights),
            "contacts": dict(entity_rights),
            "companies": dict(entity_rights),
            "tasks": {"edit": "A", "delete": "A" if is_admin else "D"},
            "mail_access": True,
            "catalog_access": True,
            "files_access": True,
            "status_rights": [],
            "is_admin": is_admin,
            "is_free": False,
            "is_active": True,
            "group_id": None,
            "role_id": None,
        },
        "amojo_id": str(uuid.uuid4()),
    }


def new_account(ids: IdCounters, *, subdomain: str, name: str, now: float) -> FakeAccount:
    """An account seeded like a fresh real one: two pipelines, custom fields of most types, two users."""
    account = FakeAccount(
        id=ids.next("account"),
        subdomain=subdomain,
        name=name,
        amojo_id=str(uuid.uuid4()),
        uuid=str(uuid.uuid4()),
        created_at=int(now),
    )
    for user in (
        _user(ids, f"{name} Admin", f"admin@{subdomain}.example", is_admin=True),
        _user(ids, "Maria Manager", f"maria@{subdomain}.example", is_admin=False),
    ):
        account.users[user["id"]] = user
    for pipeline in (
        _pipeline(ids, account.id, "Sales", 1, True, ["New inquiry", "Qualified", "Proposal sent", "Negotiation"]),
        _pipeline(ids, account.id, "Support", 2, False, ["New request", "In progress", "Waiting for customer"]),
    ):
        account.pipelines[pipeline["id"]] = pipeline

    aid = account.id
    lead_fields = [
        _field(ids, aid, "leads", "Budget comment", "text", 502),
        _field(ids, aid, "leads", "Units", "numeric", 504),
        _field(ids, aid, "leads", "Urgent", "checkbox", 506),
        _field(ids, aid, "leads", "Source", "select", 508, enums=["Website", "WhatsApp", "Instagram", "Referral"]),
        _field(ids, aid, "leads", "Interests", "multiselect", 510, enums=["Pricing", "Delivery", "Support", "Demo"]),
        _field(ids, aid, "leads", "Customer type", "radiobutton", 512, enums=["New", "Regular", "VIP"]),
        _field(ids, aid, "leads", "Follow-up date", "date", 514),
        _field(ids, aid, "leads", "Meeting at", "date_time", 516),
        _field(ids, aid, "leads", "Landing page", "url", 518),
        _field(ids, aid, "leads", "AI summary", "textarea", 520),
        _field(ids, aid, "leads", "Quoted price", "price", 522),
        _field(ids, aid, "leads", "Decision maker birthday", "birthday", 524),
        _field(ids, aid, "leads", "Billing entity", "legal_entity", 526),
        _field(ids, aid, "leads", "utm_source", "tracking_data", 528, code="UTM_SOURCE", predefined=True),
    ]
    contact_fields = [
        _field(ids, aid, "contacts", "Position", "text", 4, code="POSITION", predefined=True),
        _field(
            ids,
            aid,
            "contacts",
            "Phone",
            "multitext",
            6,
            code="PHONE",
            predefined=True,
            enums=[
                ("WORK", "WORK"),
                ("WORKDD", "WORKDD"),
                ("MOB", "MOB"),
                ("FAX", "FAX"),
                ("HOME", "HOME"),
                ("OTHER", "OTHER"),
            ],
        ),
        _field(
            ids,
            aid,
            "contacts",
            "Email",
            "multitext",
            8,
            code="EMAIL",
            predefined=True,
            enums=[("WORK", "WORK"), ("PRIV", "PRIV"), ("OTHER", "OTHER")],
        ),
        _field(ids, aid, "contacts", "Birthday", "birthday", 510),
        _field(ids, aid, "contacts", "Preferred language", "select", 512, enums=["English", "Spanish", "Portuguese"]),
        _field(ids, aid, "contacts", "Opted in", "checkbox", 514),
    ]
    company_fields = [
        _field(
            ids,
            aid,
            "companies",
            "Phone",
            "multitext",
            4,
            code="PHONE",
            predefined=True,
            enums=[
                ("WORK", "WORK"),
                ("WORKDD", "WORKDD"),
                ("MOB", "MOB"),
                ("FAX", "FAX"),
                ("HOME", "HOME"),
                ("OTHER", "OTHER"),
            ],
        ),
        _field(
            ids,
            aid,
            "companies",
            "Email",
            "multitext",
            6,
            code="EMAIL",
            predefined=True,
            enums=[("WORK", "WORK"), ("PRIV", "PRIV"), ("OTHER", "OTHER")],
        ),
        _field(ids, aid, "companies", "Web", "url", 8, code="WEB", predefined=True),
        _field(ids, aid, "companies", "Address", "textarea", 10, code="ADDRESS", predefined=True),
        _field(ids, aid, "companies", "Legal entity", "legal_entity", 510),
    ]
    for entity_type, rows in (("leads", lead_fields), ("contacts", contact_fields), ("companies", company_fields)):
        for row in rows:
            account.custom_fields[entity_type][row["id"]] = row
    return account

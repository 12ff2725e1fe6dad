"""The REST API v4 of one account (KOMMO.md A2), served on the account's own listener.

Every call goes through, in this order: the per-account rate window (more than `rate_limit_rps`
calls in any one second → 429 with a non-JSON nginx-style body), the scripted failures
(`FakeKommo.fail`), the Bearer check (401 problem+json), then the route. Success is
`application/hal+json`, errors `application/problem+json`, **an empty list is 204 with no body**.

Lists take `page` (from 1) and `limit` (default 50, above 250 → 400 validation error; events:
above 100), and answer `{"_page", "_links": {"self","next"?,"prev"?}, "_embedded": {key: [...]}}` with
absolute hrefs that keep the query; the last page has no `next` (set
`FakeKommo.next_on_full_page = True` to get a `next` on every full page, then a 204 — which Kommo
does is [M]). Filters: `filter[id][]`/`filter[id][0]`, `filter[name]`, `filter[price]`,
`filter[created_by|updated_by|responsible_user_id|pipeline_id][]`, `filter[created_at|updated_at|closed_at][from|to]`,
`filter[statuses][N][pipeline_id|status_id]`; `query` (name, id, field values, linked contacts'
fields, phone digits); `order[created_at|updated_at|id]=asc|desc` (default id asc [M]);
`with=contacts|leads|companies|only_deleted|loss_reason|source_id`.

Writes: `POST` takes an array (≤ 250 [M]); `PATCH` an array of items with `id` (≤ `batch_limit`,
50, else 400 [M]) or `PATCH /{entity}/{id}`. Any invalid item fails the whole request with
`validation-errors` grouped by `request_id` (the item's own, else its index). Admin-only (403 for a
non-admin user's token): webhooks POST/DELETE, custom fields POST, salesbot continue.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from integrations.kommo.fakes import crm, fields, oauth, salesbot
from integrations.kommo.fakes.server import (
    Request,
    Response,
    error,
    hal,
    no_content,
    problem,
    validation_problem,
)
from integrations.kommo.fakes.state import ENTITY_TYPES, FakeAccount, TokenRecord
from integrations.kommo.fakes.webhooks import SETTINGS

if TYPE_CHECKING:
    from integrations.kommo.fakes.fake import FailureRule, FakeKommo

MAX_LIMIT = 250
EVENTS_MAX_LIMIT = 100
POST_LIMIT = 250
NOTE_TYPES = {
    "common",
    "call_in",
    "call_out",
    "service_message",
    "extended_service_message",
    "message_cashier",
    "sms_in",
    "sms_out",
    "attachment",
    "geolocation",
    "invoice_paid",
}
RATE_LIMITED_BODY = (
    b"<html>\r\n<head><title>429 Too Many Requests</title></head>\r\n<body>\r\n"
    b"<center><h1>429 Too Many Requests</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)
UNAVAILABLE_BODY = (
    b"<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n"
    b"<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n"
    b"<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
)


@dataclass
class Ctx:
    kommo: FakeKommo
    req: Request
    account: FakeAccount
    token: TokenRecord

    @property
    def user_id(self) -> int:
        context_user = self.req.header("x-context-user-id")
        if context_user.isdigit() and self.is_admin and int(context_user) in self.account.users:
            return int(context_user)
        return self.token.user_id

    @property
    def is_admin(self) -> bool:
        user = self.account.users.get(self.token.user_id)
        return bool(user and user["rights"]["is_admin"])

    def url(self, path: str) -> str:
        return f"{self.account.base_url}{path}"

    def link(self, path: str) -> dict[str, Any]:
        return {"self": {"href": self.url(path)}}

    @property
    def with_(self) -> set[str]:
        raw = self.req.query.get("with") or ""
        return {part.strip() for part in str(raw).split(",") if part.strip()}


def _rate_limited(kommo: FakeKommo, account: FakeAccount) -> bool:
    if kommo.rate_limit_rps is None:
        return False
    now = kommo.monotonic()
    window = account.rate_window
    while window and window[0] <= now - 1.0:
        window.pop(0)
    if len(window) >= kommo.rate_limit_rps:
        return True
    window.append(now)
    return False


def _scripted(kommo: FakeKommo, req: Request) -> Response | None:
    rule = kommo.take_failure(req.path)
    if rule is not None and rule.kind == "slow":
        return Response(0, delay=kommo.slow_seconds)  # status 0: answer normally, after the delay
    return scripted_failure(rule)


def scripted_failure(rule: FailureRule | None) -> Response | None:
    """The answer of a scripted failure ("slow" aside): nginx's 429 or 503 page, else problem+json."""
    if rule is None or rule.kind == "slow":
        return None
    if rule.kind == "429":
        headers = {"Retry-After": str(rule.retry_after)} if rule.retry_after is not None else {}
        return Response(429, RATE_LIMITED_BODY, "text/html", headers)
    if rule.kind == "503":
        return Response(503, UNAVAILABLE_BODY, "text/html")
    return problem(int(rule.kind), f"Simulated {rule.kind}")


def dispatch(kommo: FakeKommo, req: Request) -> Response:
    account: FakeAccount = req.account
    with kommo.lock:
        if _rate_limited(kommo, account):
            return Response(429, RATE_LIMITED_BODY, "text/html")
    scripted = _scripted(kommo, req)
    if scripted is not None and scripted.status:
        return scripted
    with kommo.lock:
        token = oauth.authenticate(kommo, req)
        if isinstance(token, Response):
            return token
        ctx = Ctx(kommo, req, account, token)
        response = _route(ctx)
    if scripted is not None:
        response.delay = scripted.delay
    return response


def _route(ctx: Ctx) -> Response:
    path = ctx.req.path.rstrip("/")
    for method, pattern, handler, admin_only in ROUTES:
        match = pattern.fullmatch(path)
        if match is None or method != ctx.req.method:
            continue
        if admin_only and not ctx.is_admin:
            return problem(403, "Access denied: only an administrator may do this")
        return handler(ctx, **match.groupdict())
    if any(pattern.fullmatch(path) for _, pattern, _, _ in ROUTES):
        return problem(405, "Method not allowed")
    return problem(404, "Not found")


# -- helpers ------------------------------------------------------------------------------------


def _body(ctx: Ctx) -> Any:
    try:
        return ctx.req.json()
    except ValueError:
        return None


def _ints(value: Any) -> list[int]:
    values = value if isinstance(value, list) else list(value.values()) if isinstance(value, dict) else [value]
    out = []
    for item in values:
        for part in str(item).split(","):
            if part.strip().lstrip("-").isdigit():
                out.append(int(part))
    return out


def _in_range(value: Any, cond: Any) -> bool:
    if isinstance(cond, dict):
        if value is None:
            return False
        low, high = cond.get("from"), cond.get("to")
        if low not in (None, "") and str(low).lstrip("-").isdigit() and value < int(low):
            return False
        return not (high not in (None, "") and str(high).lstrip("-").isdigit() and value > int(high))
    wanted = _ints(cond)
    return not wanted or value in wanted


def _page_params(ctx: Ctx, max_limit: int) -> tuple[int, int] | Response:
    query = ctx.req.query
    page_raw, limit_raw = str(query.get("page") or "1"), str(query.get("limit") or "50")
    if not page_raw.isdigit() or int(page_raw) < 1:
        return validation_problem({"0": [error("InvalidValue", "page", "This value should be a positive integer.")]})
    if not limit_raw.isdigit() or int(limit_raw) < 1:
        return validation_problem({"0": [error("InvalidValue", "limit", "This value should be a positive integer.")]})
    if int(limit_raw) > max_limit:
        return validation_problem(
            {"0": [error("LessThanOrEqual", "limit", f"This value should be less than or equal to {max_limit}.")]}
        )
    return int(page_raw), int(limit_raw)


def _href(ctx: Ctx, page: int, limit: int) -> str:
    pairs = [(k, v) for k, v in ctx.req.query_pairs if k not in ("page", "limit")]
    return ctx.url(ctx.req.path) + "?" + urlencode([("page", page), ("limit", limit), *pairs])


def listing(
    ctx: Ctx, key: str, items: list[dict[str, Any]], *, max_limit: int = MAX_LIMIT, totals: bool = False
) -> Response:
    params = _page_params(ctx, max_limit)
    if isinstance(params, Response):
        return params
    page, limit = params
    start = (page - 1) * limit
    chunk = items[start : start + limit]
    if not chunk:
        return no_content()
    more = start + limit < len(items) or (ctx.kommo.next_on_full_page and len(chunk) == limit)
    links: dict[str, Any] = {"self": {"href": _href(ctx, page, limit)}}
    if more:
        links["next"] = {"href": _href(ctx, page + 1, limit)}
    if page > 1:
        links["prev"] = {"href": _href(ctx, page - 1, limit)}
    body: dict[str, Any] = {}
    if totals:
        body["_total_items"] = len(items)
    body["_page"] = page
    if totals:
        body["_page_count"] = max(1, -(-len(items) // limit))
    body["_links"] = links
    body["_embedded"] = {key: chunk}
    return hal(body)


def _copy(value: Any) -> Any:
    return crm._deep_copy(value)


def _ref(ctx: Ctx, entity_type: str, entity_id: int, **extra: Any) -> dict[str, Any]:
    return {"id": entity_id, **extra, "_links": ctx.link(f"/api/v4/{entity_type}/{entity_id}")}


def present(ctx: Ctx, entity_type: str, entity: dict[str, Any]) -> dict[str, Any]:
    """An entity as the API shows it: `_links`, and `_embedded` filled from the links and `with`."""
    shown = _copy(entity)
    account, with_ = ctx.account, ctx.with_
    embedded = shown.setdefault("_embedded", {})
    embedded.setdefault("tags", [])
    if entity_type in ("leads", "contacts"):
        embedded["companies"] = [
            _ref(ctx, "companies", cid) for cid in crm.linked_ids(account, entity_type, entity["id"], "companies")
        ]
    if entity_type in ("leads", "companies") and "contacts" in with_:
        main = crm.main_contact_id(account, entity["id"]) if entity_type == "leads" else None
        embedded["contacts"] = [
            _ref(ctx, "contacts", cid, is_main=cid == main)
            for cid in crm.linked_ids(account, entity_type, entity["id"], "contacts")
        ]
    if entity_type in ("contacts", "companies") and "leads" in with_:
        embedded["leads"] = [
            _ref(ctx, "leads", lid) for lid in crm.linked_ids(account, entity_type, entity["id"], "leads")
        ]
    if entity_type == "leads" and "loss_reason" in with_:
        embedded["loss_reason"] = []
    if entity_type == "leads" and "source_id" in with_:
        shown["source_id"] = None
    shown["_links"] = ctx.link(f"/api/v4/{entity_type}/{entity['id']}")
    return shown


def _searchable(ctx: Ctx, entity_type: str, entity: dict[str, Any]) -> str:
    parts = [str(entity["id"]), entity.get("name") or "", fields.text_of(entity.get("custom_fields_values"))]
    if entity_type == "leads":
        for cid in crm.linked_ids(ctx.account, "leads", entity["id"], "contacts"):
            contact = ctx.account.contacts.get(cid)
            if contact:
                parts += [contact["name"], fields.text_of(contact["custom_fields_values"])]
    return " ".join(parts).lower()


def _matches(ctx: Ctx, entity_type: str, entity: dict[str, Any], flt: dict[str, Any], query: str) -> bool:
    for key, cond in flt.items():
        if key == "id" and entity["id"] not in _ints(cond):
            return False
        if key == "name":
            names = cond if isinstance(cond, list) else [cond]
            if entity.get("name") not in names:
                return False
        if key in ("created_by", "updated_by", "responsible_user_id", "pipeline_id") and entity.get(key) not in _ints(
            cond
        ):
            return False
        if key in ("price", "created_at", "updated_at", "closed_at", "closest_task_at") and not _in_range(
            entity.get(key), cond
        ):
            return False
        if key == "statuses" and entity_type == "leads":
            rows = cond if isinstance(cond, list) else [cond]
            if not any(
                isinstance(row, dict)
                and str(row.get("pipeline_id", entity["pipeline_id"])) == str(entity["pipeline_id"])
                and str(row.get("status_id", entity["status_id"])) == str(entity["status_id"])
                for row in rows
            ):
                return False
    if query:
        text = _searchable(ctx, entity_type, entity)
        digits = "".join(ch for ch in query if ch.isdigit())
        if query.lower() not in text and not (
            len(digits) >= 5 and digits in "".join(ch for ch in text if ch.isdigit())
        ):
            return False
    return True


def _ordered(ctx: Ctx, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    order = ctx.req.query.get("order")
    if isinstance(order, dict):
        for key, direction in order.items():
            if key in ("created_at", "updated_at", "id"):
                return sorted(items, key=lambda e: (e.get(key) or 0, e["id"]), reverse=str(direction).lower() == "desc")
    return sorted(items, key=lambda e: e["id"])


# -- leads, contacts, companies -----------------------------------------------------------------


def list_entities(ctx: Ctx, entity: str) -> Response:
    query = ctx.req.query
    flt = query.get("filter") if isinstance(query.get("filter"), dict) else {}
    only_deleted = "only_deleted" in ctx.with_
    found = [
        e
        for e in ctx.account.entities(entity).values()
        if e["is_deleted"] == only_deleted and _matches(ctx, entity, e, flt, str(query.get("query") or "").strip())
    ]
    return listing(ctx, entity, [present(ctx, entity, e) for e in _ordered(ctx, found)])


def get_entity(ctx: Ctx, entity: str, id: str) -> Response:
    found = ctx.account.entities(entity).get(int(id))
    if found is None or found["is_deleted"]:
        return problem(404, f"{crm.SINGULAR[entity].capitalize()} not found")
    return hal(present(ctx, entity, found))


def _request_id(item: Any, index: int) -> str:
    return str(item.get("request_id")) if isinstance(item, dict) and item.get("request_id") is not None else str(index)


def _array_body(ctx: Ctx, limit: int) -> list[Any] | Response:
    body = _body(ctx)
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list) or not body:
        return validation_problem({"0": [error("InvalidType", "", "The request body must be a non-empty array.")]})
    if len(body) > limit:
        return validation_problem(
            {"0": [error("TooManyEntities", "", f"No more than {limit} entities in one request.")]}
        )
    return body


def create_entities(ctx: Ctx, entity: str) -> Response:
    items = _array_body(ctx, POST_LIMIT)
    if isinstance(items, Response):
        return items
    built, problems = [], {}
    for index, item in enumerate(items):
        new, errors = crm.build(ctx.kommo, ctx.account, entity, item, user_id=ctx.user_id)
        if errors:
            problems[_request_id(item, index)] = errors
        built.append(new)
    if problems:
        return validation_problem(problems)
    answer = []
    for index, (item, new) in enumerate(zip(items, built, strict=True)):
        crm.store_new(ctx.kommo, ctx.account, entity, new, item, ctx.user_id)
        answer.append(
            {
                "id": new["id"],
                "request_id": _request_id(item, index),
                **{"_links": _ref(ctx, entity, new["id"])["_links"]},
            }
        )
    return hal({"_links": ctx.link(f"/api/v4/{entity}"), "_embedded": {entity: answer}})


def _updates(ctx: Ctx, entity: str, items: list[Any]) -> Response | list[tuple[Any, dict, dict]]:
    store = ctx.account.entities(entity)
    problems: dict[str, list[dict[str, str]]] = {}
    changes = []
    for index, item in enumerate(items):
        rid = _request_id(item, index)
        entity_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(entity_id, int) or isinstance(entity_id, bool):
            problems[rid] = [error("FieldMissing", "id", "This field is missing.")]
            continue
        current = store.get(entity_id)
        if current is None or current["is_deleted"]:
            problems[rid] = [error("NotFound", "id", f"{crm.SINGULAR[entity].capitalize()} {entity_id} not found.")]
            continue
        after, errors = crm.build(ctx.kommo, ctx.account, entity, item, user_id=ctx.user_id, current=current)
        if errors:
            problems[rid] = errors
            continue
        changes.append((item, current, after))
    return validation_problem(problems) if problems else changes


def update_entities(ctx: Ctx, entity: str) -> Response:
    items = _array_body(ctx, ctx.kommo.batch_limit)
    if isinstance(items, Response):
        return items
    changes = _updates(ctx, entity, items)
    if isinstance(changes, Response):
        return changes
    answer = []
    for index, (item, before, after) in enumerate(changes):
        crm.store_update(ctx.kommo, ctx.account, entity, before, after, item, ctx.user_id)
        answer.append(
            {
                "id": after["id"],
                "updated_at": after["updated_at"],
                "request_id": _request_id(item, index),
                "_links": ctx.link(f"/api/v4/{entity}/{after['id']}"),
            }
        )
    return hal({"_links": ctx.link(f"/api/v4/{entity}"), "_embedded": {entity: answer}})


def update_entity(ctx: Ctx, entity: str, id: str) -> Response:
    item = _body(ctx)
    if not isinstance(item, dict):
        return validation_problem({"0": [error("InvalidType", "", "The request body must be an object.")]})
    if int(id) not in ctx.account.entities(entity):
        return problem(404, f"{crm.SINGULAR[entity].capitalize()} not found")
    changes = _updates(ctx, entity, [{**item, "id": int(id)}])
    if isinstance(changes, Response):
        return changes
    (_, before, after) = changes[0]
    crm.store_update(ctx.kommo, ctx.account, entity, before, after, item, ctx.user_id)
    return hal({"id": after["id"], "updated_at": after["updated_at"], "_links": ctx.link(f"/api/v4/{entity}/{id}")})


def create_complex(ctx: Ctx) -> Response:
    items = _array_body(ctx, 50)
    if isinstance(items, Response):
        return items
    plans, problems = [], {}
    for index, item in enumerate(items):
        embedded = item.get("_embedded") or {} if isinstance(item, dict) else {}
        lead_item = {k: v for k, v in item.items() if k != "_embedded"} if isinstance(item, dict) else item
        lead, errors = crm.build(ctx.kommo, ctx.account, "leads", lead_item, user_id=ctx.user_id)
        parts = {"leads": (lead, lead_item)}
        for kind in ("contacts", "companies"):
            rows = embedded.get(kind) or []
            if rows:
                built, more = crm.build(ctx.kommo, ctx.account, kind, rows[0], user_id=ctx.user_id)
                errors += [{**e, "path": f"_embedded.{kind}.0.{e['path']}"} for e in more]
                parts[kind] = (built, rows[0])
        if errors:
            problems[_request_id(item, index)] = errors
        plans.append(parts)
    if problems:
        return validation_problem(problems)
    answer = []
    for index, parts in enumerate(plans):
        ids: dict[str, int | None] = {"contacts": None, "companies": None}
        for kind in ("contacts", "companies"):
            if kind in parts:
                built, raw = parts[kind]
                crm.store_new(ctx.kommo, ctx.account, kind, built, raw, ctx.user_id)
                ids[kind] = built["id"]
        lead, raw = parts["leads"]
        crm.store_new(ctx.kommo, ctx.account, "leads", lead, raw, ctx.user_id)
        for kind, linked in ids.items():
            if linked:
                crm.link(ctx.account, "leads", lead["id"], kind, linked)
                if kind == "contacts" and ids["companies"]:
                    crm.link(ctx.account, "contacts", linked, "companies", ids["companies"])
        answer.append(
            {
                "id": lead["id"],
                "contact_id": ids["contacts"],
                "company_id": ids["companies"],
                "request_id": [str(index)],
                "merged": False,
            }
        )
    return hal(answer)


# -- links --------------------------------------------------------------------------------------


def _link_rows(
    ctx: Ctx, entity: str, entity_id: int | None, items: list[Any]
) -> Response | list[tuple[int, str, int, Any]]:
    problems, rows = {}, []
    for index, item in enumerate(items):
        errors = []
        source = entity_id if entity_id is not None else (item.get("entity_id") if isinstance(item, dict) else None)
        to_type = item.get("to_entity_type") if isinstance(item, dict) else None
        to_id = item.get("to_entity_id") if isinstance(item, dict) else None
        if source not in ctx.account.entities(entity):
            errors.append(error("NotFound", "entity_id", "Entity not found."))
        if to_type not in ENTITY_TYPES:
            errors.append(
                error("NotSupportedChoice", "to_entity_type", "The value you selected is not a valid choice.")
            )
        elif to_id not in ctx.account.entities(to_type):
            errors.append(error("NotFound", "to_entity_id", "Entity not found."))
        if errors:
            problems[str(index)] = errors
        else:
            rows.append((source, to_type, to_id, item.get("metadata")))
    return validation_problem(problems) if problems else rows


def link_entities(ctx: Ctx, entity: str, id: str | None = None, unlink: str = "") -> Response:
    items = _array_body(ctx, POST_LIMIT)
    if isinstance(items, Response):
        return items
    rows = _link_rows(ctx, entity, int(id) if id else None, items)
    if isinstance(rows, Response):
        return rows
    if unlink:
        for source, to_type, to_id, _ in rows:
            crm.unlink(ctx.account, entity, source, to_type, to_id)
        return no_content()
    made = []
    for source, to_type, to_id, metadata in rows:
        made.append(crm.link(ctx.account, entity, source, to_type, to_id, metadata))
        crm.add_event(ctx.kommo, ctx.account, "entity_linked", entity, source, user_id=ctx.user_id)
    return hal({"_total_items": len(made), "_links": ctx.link(ctx.req.path), "_embedded": {"links": _copy(made)}})


def _as_seen_from(entity: str, entity_id: int, row: dict[str, Any]) -> dict[str, Any]:
    if row["entity_type"] == entity and row["entity_id"] == entity_id:
        return _copy(row)
    return {
        "entity_id": entity_id,
        "entity_type": entity,
        "to_entity_id": row["entity_id"],
        "to_entity_type": row["entity_type"],
        "metadata": _copy(row.get("metadata")),
    }


def list_links(ctx: Ctx, entity: str, id: str | None = None) -> Response:
    flt = ctx.req.query.get("filter") if isinstance(ctx.req.query.get("filter"), dict) else {}
    ids = [int(id)] if id else _ints(flt.get("entity_id", []))
    rows = []
    for entity_id in ids:
        for row in ctx.account.links:
            if (row["entity_type"], row["entity_id"]) == (entity, entity_id) or (
                row["to_entity_type"],
                row["to_entity_id"],
            ) == (entity, entity_id):
                seen = _as_seen_from(entity, entity_id, row)
                if flt.get("to_entity_type") in (None, seen["to_entity_type"]):
                    rows.append(seen)
    return listing(ctx, "links", rows)


# -- notes, tasks -------------------------------------------------------------------------------


def _present_note(ctx: Ctx, note: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in _copy(note).items() if k != "entity_type"}
    shown["_links"] = ctx.link(f"/api/v4/{note['entity_type']}/{note['entity_id']}/notes/{note['id']}")
    return shown


def list_notes(ctx: Ctx, entity: str, id: str | None = None) -> Response:
    flt = ctx.req.query.get("filter") if isinstance(ctx.req.query.get("filter"), dict) else {}
    wanted_types = flt.get("note_type")
    wanted_types = wanted_types if isinstance(wanted_types, list) else [wanted_types] if wanted_types else []
    notes = [
        n
        for n in ctx.account.notes.values()
        if n["entity_type"] == entity
        and (id is None or n["entity_id"] == int(id))
        and ("entity_id" not in flt or n["entity_id"] in _ints(flt["entity_id"]))
        and ("id" not in flt or n["id"] in _ints(flt["id"]))
        and (not wanted_types or n["note_type"] in wanted_types)
        and _in_range(n["updated_at"], flt.get("updated_at", []))
    ]
    return listing(ctx, "notes", [_present_note(ctx, n) for n in _ordered(ctx, notes)])


def get_note(ctx: Ctx, entity: str, note_id: str, id: str | None = None) -> Response:
    note = ctx.account.notes.get(int(note_id))
    if note is None or note["entity_type"] != entity or (id is not None and note["entity_id"] != int(id)):
        return problem(404, "Note not found")
    return hal(_present_note(ctx, note))


def create_notes(ctx: Ctx, entity: str, id: str | None = None) -> Response:
    items = _array_body(ctx, POST_LIMIT)
    if isinstance(items, Response):
        return items
    problems = {}
    for index, item in enumerate(items):
        errors = []
        if not isinstance(item, dict):
            problems[str(index)] = [error("InvalidType", "", "This value should be of type object.")]
            continue
        entity_id = int(id) if id else item.get("entity_id")
        if entity_id not in ctx.account.entities(entity):
            errors.append(error("NotFound", "entity_id", "Entity not found."))
        if item.get("note_type") not in NOTE_TYPES:
            errors.append(error("NotSupportedChoice", "note_type", "The value you selected is not a valid choice."))
        params = item.get("params")
        if not isinstance(params, dict) or (item.get("note_type") == "common" and not params.get("text")):
            errors.append(
                error("InvalidType", "params", "This value should be an object (with text for common notes).")
            )
        if errors:
            problems[_request_id(item, index)] = errors
    if problems:
        return validation_problem(problems)
    answer = []
    for index, item in enumerate(items):
        entity_id = int(id) if id else item["entity_id"]
        note = crm.add_note(ctx.kommo, ctx.account, entity, entity_id, item["note_type"], item["params"], ctx.user_id)
        answer.append(
            {
                "id": note["id"],
                "entity_id": entity_id,
                "request_id": _request_id(item, index),
                "_links": ctx.link(f"/api/v4/{entity}/{entity_id}/notes/{note['id']}"),
            }
        )
    return hal({"_links": ctx.link(ctx.req.path), "_embedded": {"notes": answer}})


def _present_task(ctx: Ctx, task: dict[str, Any]) -> dict[str, Any]:
    shown = _copy(task)
    shown["_links"] = ctx.link(f"/api/v4/tasks/{task['id']}")
    return shown


def _task_item(account: FakeAccount, task: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": task["id"],
        "element_id": task["entity_id"] or 0,
        "element_type": crm.ELEMENT_TYPE.get(task["entity_type"] or "", 0),
        "task_type": task["task_type_id"],
        "date_create": task["created_at"],
        "last_modified": task["updated_at"],
        "text": task["text"],
        "status": 1 if task["is_completed"] else 0,
        "complete_till": task["complete_till"],
        "responsible_user_id": task["responsible_user_id"],
        "created_user_id": task["created_by"],
        "account_id": account.id,
    }


def _build_task(ctx: Ctx, item: Any, current: dict[str, Any] | None) -> tuple[dict | None, list]:
    errors = []
    if not isinstance(item, dict):
        return None, [error("InvalidType", "", "This value should be of type object.")]
    now = int(ctx.kommo.now())
    task = (
        _copy(current)
        if current
        else {
            "id": ctx.kommo.ids.next("task"),
            "created_by": ctx.user_id,
            "updated_by": ctx.user_id,
            "created_at": now,
            "updated_at": now,
            "responsible_user_id": ctx.user_id,
            "group_id": 0,
            "entity_id": None,
            "entity_type": None,
            "duration": 0,
            "is_completed": False,
            "task_type_id": 1,
            "text": "",
            "result": [],
            "complete_till": None,
            "account_id": ctx.account.id,
        }
    )
    if current is None:
        for key in ("text", "complete_till"):
            if key not in item:
                errors.append(error("FieldMissing", key, "This field is missing."))
    if "text" in item and not isinstance(item["text"], str):
        errors.append(error("InvalidType", "text", "This value should be of type string."))
    for key in ("complete_till", "task_type_id", "responsible_user_id", "duration", "entity_id"):
        if key in item and (not isinstance(item[key], int) or isinstance(item[key], bool)):
            errors.append(error("InvalidType", key, "This value should be of type int."))
    if item.get("entity_type") is not None and item["entity_type"] not in ENTITY_TYPES:
        errors.append(error("NotSupportedChoice", "entity_type", "The value you selected is not a valid choice."))
    elif item.get("entity_type") and item.get("entity_id") not in ctx.account.entities(item["entity_type"]):
        errors.append(error("NotFound", "entity_id", "Entity not found."))
    if errors:
        return None, errors
    for key in ("text", "complete_till", "task_type_id", "responsible_user_id", "duration", "entity_id", "entity_type"):
        if key in item:
            task[key] = item[key]
    if "is_completed" in item:
        task["is_completed"] = bool(item["is_completed"])
    if isinstance(item.get("result"), dict):
        task["result"] = {"text": str(item["result"].get("text", ""))}
    task["updated_at"], task["updated_by"] = now, ctx.user_id
    return task, []


def list_tasks(ctx: Ctx) -> Response:
    flt = ctx.req.query.get("filter") if isinstance(ctx.req.query.get("filter"), dict) else {}
    tasks = []
    for task in ctx.account.tasks.values():
        if "id" in flt and task["id"] not in _ints(flt["id"]):
            continue
        if "responsible_user_id" in flt and task["responsible_user_id"] not in _ints(flt["responsible_user_id"]):
            continue
        if "is_completed" in flt and str(int(task["is_completed"])) != str(flt["is_completed"]):
            continue
        if "task_type" in flt and task["task_type_id"] not in _ints(flt["task_type"]):
            continue
        if "entity_type" in flt and task["entity_type"] != flt["entity_type"]:
            continue
        if "entity_id" in flt and task["entity_id"] not in _ints(flt["entity_id"]):
            continue
        if not _in_range(task["updated_at"], flt.get("updated_at", [])):
            continue
        tasks.append(task)
    return listing(ctx, "tasks", [_present_task(ctx, t) for t in _ordered(ctx, tasks)])


def get_task(ctx: Ctx, id: str) -> Response:
    task = ctx.account.tasks.get(int(id))
    return hal(_present_task(ctx, task)) if task else problem(404, "Task not found")


def create_tasks(ctx: Ctx) -> Response:
    items = _array_body(ctx, POST_LIMIT)
    if isinstance(items, Response):
        return items
    built, problems = [], {}
    for index, item in enumerate(items):
        task, errors = _build_task(ctx, item, None)
        if errors:
            problems[_request_id(item, index)] = errors
        built.append(task)
    if problems:
        return validation_problem(problems)
    answer = []
    for index, (item, task) in enumerate(zip(items, built, strict=True)):
        ctx.account.tasks[task["id"]] = task
        if task["entity_id"]:
            crm.add_event(
                ctx.kommo, ctx.account, "task_added", task["entity_type"], task["entity_id"], user_id=ctx.user_id
            )
        crm.emit(ctx.kommo, ctx.account, "add_task", _task_item(ctx.account, task))
        answer.append(
            {
                "id": task["id"],
                "request_id": _request_id(item, index),
                "_links": ctx.link(f"/api/v4/tasks/{task['id']}"),
            }
        )
    return hal({"_links": ctx.link("/api/v4/tasks"), "_embedded": {"tasks": answer}})


def update_tasks(ctx: Ctx, id: str | None = None) -> Response:
    if id is None:
        items = _array_body(ctx, ctx.kommo.batch_limit)
        if isinstance(items, Response):
            return items
    else:
        body = _body(ctx)
        items = [{**body, "id": int(id)}] if isinstance(body, dict) else []
        if not items:
            return validation_problem({"0": [error("InvalidType", "", "The request body must be an object.")]})
    built, problems = [], {}
    for index, item in enumerate(items):
        current = ctx.account.tasks.get(item.get("id")) if isinstance(item, dict) else None
        if current is None:
            problems[_request_id(item, index)] = [error("NotFound", "id", "Task not found.")]
            continue
        task, errors = _build_task(ctx, item, current)
        if errors:
            problems[_request_id(item, index)] = errors
        built.append(task)
    if problems:
        return validation_problem(problems)
    answer = []
    for index, (item, task) in enumerate(zip(items, built, strict=True)):
        ctx.account.tasks[task["id"]] = task
        crm.emit(ctx.kommo, ctx.account, "update_task", _task_item(ctx.account, task))
        answer.append(
            {
                "id": task["id"],
                "updated_at": task["updated_at"],
                "request_id": _request_id(item, index),
                "_links": ctx.link(f"/api/v4/tasks/{task['id']}"),
            }
        )
    if id is not None:
        return hal(answer[0])
    return hal({"_links": ctx.link("/api/v4/tasks"), "_embedded": {"tasks": answer}})


# -- events, talks ------------------------------------------------------------------------------


def list_events(ctx: Ctx) -> Response:
    flt = ctx.req.query.get("filter") if isinstance(ctx.req.query.get("filter"), dict) else {}

    def names(value: Any) -> set[str]:
        raw = value if isinstance(value, list) else [value]
        return {part.strip() for item in raw for part in str(item).split(",") if part.strip()}

    entities = {crm.SINGULAR.get(n, n) for n in names(flt["entity"])} if "entity" in flt else None
    types = names(flt["type"]) if "type" in flt else None
    events = []
    for event in ctx.account.events:
        if entities is not None and event["entity_type"] not in entities:
            continue
        if types is not None and event["type"] not in types:
            continue
        if "entity_id" in flt and event["entity_id"] not in _ints(flt["entity_id"]):
            continue
        if "created_by" in flt and event["created_by"] not in _ints(flt["created_by"]):
            continue
        if "id" in flt and event["id"] not in names(flt["id"]):
            continue
        if not _in_range(event["created_at"], flt.get("created_at", [])):
            continue
        plural = {v: k for k, v in crm.SINGULAR.items()}.get(event["entity_type"], event["entity_type"])
        shown = _copy(event)
        shown["_links"] = ctx.link(f"/api/v4/events/{event['id']}")
        shown["_embedded"] = {"entity": _ref(ctx, plural, event["entity_id"])}
        events.append(shown)
    events.reverse()  # newest first
    return listing(ctx, "events", events, max_limit=EVENTS_MAX_LIMIT)


def _present_talk(ctx: Ctx, talk: dict[str, Any]) -> dict[str, Any]:
    shown = _copy(talk)
    shown["id"] = talk["talk_id"]
    shown["_links"] = ctx.link(f"/api/v4/talks/{talk['talk_id']}")
    shown["_embedded"] = {
        "contacts": [_ref(ctx, "contacts", talk["contact_id"])],
        "leads": [_ref(ctx, "leads", talk["entity_id"])],
        "customers": [],
    }
    return shown


def get_talk(ctx: Ctx, id: str) -> Response:
    talk = ctx.account.talks.get(int(id))
    return hal(_present_talk(ctx, talk)) if talk else problem(404, "Talk not found")


def list_talks(ctx: Ctx) -> Response:
    flt = ctx.req.query.get("filter") if isinstance(ctx.req.query.get("filter"), dict) else {}
    talks = [
        t
        for t in ctx.account.talks.values()
        if ("contact_id" not in flt or t["contact_id"] in _ints(flt["contact_id"]))
        and ("entity_id" not in flt or t["entity_id"] in _ints(flt["entity_id"]))
        and (str(flt.get("only_in_work", "")) not in ("1", "true") or t["is_in_work"])
    ]
    return listing(ctx, "talks", [_present_talk(ctx, t) for t in sorted(talks, key=lambda t: t["talk_id"])])


def close_talk(ctx: Ctx, id: str) -> Response:
    talk = ctx.account.talks.get(int(id))
    if talk is None:
        return problem(404, "Talk not found")
    talk.update(is_in_work=False, updated_at=int(ctx.kommo.now()))
    crm.emit(ctx.kommo, ctx.account, "update_talk", dict(talk))
    return Response(202)


# -- configuration: account, pipelines, custom fields, users ------------------------------------


def get_account(ctx: Ctx) -> Response:
    account, with_ = ctx.account, ctx.with_
    body: dict[str, Any] = {
        "id": account.id,
        "name": account.name,
        "subdomain": account.subdomain,
        "created_at": account.created_at,
        "created_by": account.admin["id"],
        "updated_at": account.created_at,
        "updated_by": account.admin["id"],
        "current_user_id": ctx.user_id,
        "country": "US",
        "currency": "USD",
        "currency_symbol": "$",
        "customers_mode": "disabled",
        "is_unsorted_on": True,
        "is_loss_reason_enabled": True,
        "is_helpbot_enabled": False,
        "is_technical_account": False,
        "contact_name_display_order": 1,
        "_links": ctx.link("/api/v4/account"),
    }
    if "amojo_id" in with_:
        body["amojo_id"] = account.amojo_id
    if "uuid" in with_:
        body["uuid"] = account.uuid
    if "amojo_rights" in with_:
        body["amojo_rights"] = {"can_direct": True, "can_create_groups": True}
    if "version" in with_:
        body["version"] = 11
    if "entity_names" in with_:
        body["entity_names"] = {
            "leads": {"en": {"singular_form": {"default": "lead"}, "plural_form": {"default": "leads"}}}
        }
    if "drive_url" in with_:
        body["drive_url"] = f"{account.base_url}/drive"
    if "is_api_filter_enabled" in with_:
        body["is_api_filter_enabled"] = True
    if "invoices_settings" in with_:
        body["invoices_settings"] = {"lang": "en", "invoices_catalog_id": None}
    embedded: dict[str, Any] = {}
    if "users_groups" in with_:
        embedded["users_groups"] = [{"id": 0, "name": "Main office", "uuid": None}]
    if "task_types" in with_:
        embedded["task_types"] = [
            {"id": 1, "name": "Follow-up", "color": None, "icon_id": None, "code": "FOLLOW_UP"},
            {"id": 2, "name": "Meeting", "color": None, "icon_id": None, "code": "MEETING"},
        ]
    if "datetime_settings" in with_:
        embedded["datetime_settings"] = {
            "date_pattern": "m/d/Y H:i",
            "short_date_pattern": "m/d/Y",
            "short_time_pattern": "H:i",
            "date_format": "m/d/Y",
            "time_format": "H:i:s",
            "timezone": "UTC",
            "timezone_offset": "+00:00",
        }
    if embedded:
        body["_embedded"] = embedded
    return hal(body)


def _present_pipeline(ctx: Ctx, pipeline: dict[str, Any]) -> dict[str, Any]:
    shown = _copy(pipeline)
    shown["_links"] = ctx.link(f"/api/v4/leads/pipelines/{pipeline['id']}")
    for status in shown["_embedded"]["statuses"]:
        status["_links"] = ctx.link(f"/api/v4/leads/pipelines/{pipeline['id']}/statuses/{status['id']}")
    return shown


def list_pipelines(ctx: Ctx) -> Response:
    pipelines = [_present_pipeline(ctx, p) for p in sorted(ctx.account.pipelines.values(), key=lambda p: p["sort"])]
    return hal(
        {
            "_total_items": len(pipelines),
            "_links": ctx.link("/api/v4/leads/pipelines"),
            "_embedded": {"pipelines": pipelines},
        }
    )


def get_pipeline(ctx: Ctx, id: str) -> Response:
    pipeline = ctx.account.pipelines.get(int(id))
    return hal(_present_pipeline(ctx, pipeline)) if pipeline else problem(404, "Pipeline not found")


def list_statuses(ctx: Ctx, id: str) -> Response:
    pipeline = ctx.account.pipelines.get(int(id))
    if pipeline is None:
        return problem(404, "Pipeline not found")
    statuses = _present_pipeline(ctx, pipeline)["_embedded"]["statuses"]
    return hal(
        {
            "_total_items": len(statuses),
            "_links": ctx.link(f"/api/v4/leads/pipelines/{id}/statuses"),
            "_embedded": {"statuses": statuses},
        }
    )


def get_status(ctx: Ctx, id: str, status_id: str) -> Response:
    pipeline = ctx.account.pipelines.get(int(id))
    statuses = _present_pipeline(ctx, pipeline)["_embedded"]["statuses"] if pipeline else []
    status = next((s for s in statuses if s["id"] == int(status_id)), None)
    return hal(status) if status else problem(404, "Status not found")


def _present_field(ctx: Ctx, entity: str, definition: dict[str, Any]) -> dict[str, Any]:
    shown = _copy(definition)
    shown["_links"] = ctx.link(f"/api/v4/{entity}/custom_fields/{definition['id']}")
    return shown


def list_fields(ctx: Ctx, entity: str) -> Response:
    flt = ctx.req.query.get("filter") if isinstance(ctx.req.query.get("filter"), dict) else {}
    types = flt.get("type")
    types = types if isinstance(types, list) else [types] if types else []
    rows = sorted(ctx.account.custom_fields[entity].values(), key=lambda f: (f["sort"], f["id"]))
    rows = [_present_field(ctx, entity, f) for f in rows if not types or f["type"] in types]
    return listing(ctx, "custom_fields", rows, totals=True)


def get_field(ctx: Ctx, entity: str, id: str) -> Response:
    definition = ctx.account.custom_fields[entity].get(int(id))
    return hal(_present_field(ctx, entity, definition)) if definition else problem(404, "Custom field not found")


FIELD_TYPES = (
    fields.TEXT_TYPES
    | fields.NUMBER_TYPES
    | fields.DATE_TYPES
    | fields.ENUM_TYPES
    | {
        "checkbox",
        "multitext",
        "legal_entity",
        "chained_list",
    }
)


def create_fields(ctx: Ctx, entity: str) -> Response:
    items = _array_body(ctx, POST_LIMIT)
    if isinstance(items, Response):
        return items
    problems = {}
    for index, item in enumerate(items):
        errors = []
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"]:
            errors.append(error("FieldMissing", "name", "This field is missing."))
        elif item.get("type") not in FIELD_TYPES:
            errors.append(error("NotSupportedChoice", "type", "The value you selected is not a valid choice."))
        elif item["type"] in fields.ENUM_TYPES and not item.get("enums"):
            errors.append(error("FieldMissing", "enums", "This field is missing."))
        if errors:
            problems[_request_id(item, index)] = errors
    if problems:
        return validation_problem(problems)
    created = []
    for index, item in enumerate(items):
        enums = None
        if item.get("enums"):
            enums = [
                {"id": ctx.kommo.ids.next("enum"), "value": str(e.get("value")), "sort": e.get("sort", (i + 1) * 2)}
                for i, e in enumerate(item["enums"])
            ]
        definition = {
            "id": ctx.kommo.ids.next("field"),
            "name": item["name"],
            "type": item["type"],
            "account_id": ctx.account.id,
            "code": item.get("code"),
            "sort": item.get("sort", 500),
            "is_api_only": bool(item.get("is_api_only", False)),
            "enums": enums,
            "group_id": item.get("group_id"),
            "required_statuses": item.get("required_statuses") or [],
            "is_deletable": True,
            "is_predefined": False,
            "entity_type": entity,
            "remind": item.get("remind"),
            "triggers": [],
            "currency": item.get("currency"),
            "hidden_statuses": [],
            "chained_lists": None,
            "nested": None,
        }
        ctx.account.custom_fields[entity][definition["id"]] = definition
        created.append({**_present_field(ctx, entity, definition), "request_id": _request_id(item, index)})
    return hal({"_total_items": len(created), "_embedded": {"custom_fields": created}})


def _present_user(ctx: Ctx, user: dict[str, Any]) -> dict[str, Any]:
    shown = {k: v for k, v in _copy(user).items() if k != "amojo_id"}
    shown["_links"] = ctx.link(f"/api/v4/users/{user['id']}")
    return shown


def list_users(ctx: Ctx) -> Response:
    users = [_present_user(ctx, u) for u in sorted(ctx.account.users.values(), key=lambda u: u["id"])]
    return listing(ctx, "users", users, totals=True)


def get_user(ctx: Ctx, id: str) -> Response:
    user = ctx.account.users.get(int(id))
    return hal(_present_user(ctx, user)) if user else problem(404, "User not found")


# -- webhooks -----------------------------------------------------------------------------------


def _present_hook(hook: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in hook.items() if not k.startswith("_")}


def list_webhooks(ctx: Ctx) -> Response:
    flt = ctx.req.query.get("filter") if isinstance(ctx.req.query.get("filter"), dict) else {}
    hooks = [
        _present_hook(h)
        for h in ctx.account.webhooks
        if not flt.get("destination") or h["destination"] == flt["destination"]
    ]
    if not hooks:
        return no_content()
    return hal({"_total_items": len(hooks), "_links": ctx.link("/api/v4/webhooks"), "_embedded": {"webhooks": hooks}})


def add_webhook(ctx: Ctx) -> Response:
    body = _body(ctx)
    errors = []
    if not isinstance(body, dict):
        return validation_problem({"0": [error("InvalidType", "", "The request body must be an object.")]})
    destination = body.get("destination")
    settings = body.get("settings")
    if not isinstance(destination, str) or not destination.startswith(("http://", "https://")):
        errors.append(error("InvalidUrl", "destination", "This value is not a valid URL."))
    if not isinstance(settings, list) or not settings:
        errors.append(error("FieldMissing", "settings", "This field is missing."))
    else:
        for index, setting in enumerate(settings):
            if setting not in SETTINGS:
                errors.append(
                    error("NotSupportedChoice", f"settings.{index}", "The value you selected is not a valid choice.")
                )
    if errors:
        return validation_problem({"0": errors})
    now = int(ctx.kommo.now())
    hook = next((h for h in ctx.account.webhooks if h["destination"] == destination), None)
    if hook is None:
        hook = {
            "id": ctx.kommo.ids.next("webhook"),
            "destination": destination,
            "created_at": now,
            "updated_at": now,
            "account_id": ctx.account.id,
            "created_by": ctx.user_id,
            "sort": body.get("sort", 1) if isinstance(body.get("sort"), int) else 1,
            "disabled": False,
            "settings": list(dict.fromkeys(settings)),
        }
        ctx.account.webhooks.append(hook)
    else:  # registering an existing destination again replaces its settings and re-enables it [M]
        hook.update(settings=list(dict.fromkeys(settings)), disabled=False, updated_at=now)
        ctx.kommo.emitter.reset_history(ctx.account, destination)
    return hal(_present_hook(hook), 201)


def delete_webhook(ctx: Ctx) -> Response:
    body = _body(ctx)
    destination = body.get("destination") if isinstance(body, dict) else None
    hook = next((h for h in ctx.account.webhooks if h["destination"] == destination), None)
    if hook is None:
        return problem(404, "Webhook not found")
    ctx.account.webhooks.remove(hook)
    ctx.kommo.emitter.reset_history(ctx.account, destination)
    return no_content()


# -- routes -------------------------------------------------------------------------------------

_E = r"(?P<entity>leads|contacts|companies)"
Handler = Callable[..., Response]


def _r(method: str, pattern: str, handler: Handler, admin_only: bool = False) -> tuple[str, re.Pattern, Handler, bool]:
    return method, re.compile(pattern), handler, admin_only


ROUTES: list[tuple[str, re.Pattern, Handler, bool]] = [
    _r("GET", r"/api/v4/account", get_account),
    _r("GET", r"/api/v4/leads/pipelines", list_pipelines),
    _r("GET", r"/api/v4/leads/pipelines/(?P<id>\d+)", get_pipeline),
    _r("GET", r"/api/v4/leads/pipelines/(?P<id>\d+)/statuses", list_statuses),
    _r("GET", r"/api/v4/leads/pipelines/(?P<id>\d+)/statuses/(?P<status_id>\d+)", get_status),
    _r("GET", rf"/api/v4/{_E}/custom_fields", list_fields),
    _r("POST", rf"/api/v4/{_E}/custom_fields", create_fields, True),
    _r("GET", rf"/api/v4/{_E}/custom_fields/(?P<id>\d+)", get_field),
    _r("POST", r"/api/v4/leads/complex", create_complex),
    _r("GET", rf"/api/v4/{_E}/notes", list_notes),
    _r("POST", rf"/api/v4/{_E}/notes", create_notes),
    _r("GET", rf"/api/v4/{_E}/notes/(?P<note_id>\d+)", get_note),
    _r("GET", rf"/api/v4/{_E}/(?P<id>\d+)/notes", list_notes),
    _r("POST", rf"/api/v4/{_E}/(?P<id>\d+)/notes", create_notes),
    _r("GET", rf"/api/v4/{_E}/(?P<id>\d+)/notes/(?P<note_id>\d+)", get_note),
    _r("POST", rf"/api/v4/{_E}/(?P<id>\d+)/(?P<unlink>un)?link", link_entities),
    _r("POST", rf"/api/v4/{_E}/(?P<unlink>un)?link", link_entities),
    _r("GET", rf"/api/v4/{_E}/(?P<id>\d+)/links", list_links),
    _r("GET", rf"/api/v4/{_E}/links", list_links),
    _r("GET", rf"/api/v4/{_E}", list_entities),
    _r("POST", rf"/api/v4/{_E}", create_entities),
    _r("PATCH", rf"/api/v4/{_E}", update_entities),
    _r("GET", rf"/api/v4/{_E}/(?P<id>\d+)", get_entity),
    _r("PATCH", rf"/api/v4/{_E}/(?P<id>\d+)", update_entity),
    _r("GET", r"/api/v4/tasks", list_tasks),
    _r("POST", r"/api/v4/tasks", create_tasks),
    _r("PATCH", r"/api/v4/tasks", update_tasks),
    _r("GET", r"/api/v4/tasks/(?P<id>\d+)", get_task),
    _r("PATCH", r"/api/v4/tasks/(?P<id>\d+)", update_tasks),
    _r("GET", r"/api/v4/events", list_events),
    _r("GET", r"/api/v4/talks", list_talks),
    _r("GET", r"/api/v4/talks/(?P<id>\d+)", get_talk),
    _r("POST", r"/api/v4/talks/(?P<id>\d+)/close", close_talk),
    _r("GET", r"/api/v4/users", list_users),
    _r("GET", r"/api/v4/users/(?P<id>\d+)", get_user),
    _r("GET", r"/api/v4/webhooks", list_webhooks),
    _r("POST", r"/api/v4/webhooks", add_webhook, True),
    _r("DELETE", r"/api/v4/webhooks", delete_webhook, True),
    _r("GET", r"/api/v4/bots", salesbot.list_bots),
    _r("GET", r"/api/v4/bots/(?P<id>\d+)", salesbot.get_bot),
    _r("POST", r"/api/v4/bots/run", salesbot.run_v4),
    _r("POST", r"/api/v4/bots/(?P<id>\d+)/run", salesbot.run_v4),
    _r("POST", r"/api/v4/bots/(?P<id>\d+)/stop", salesbot.stop),
    _r("POST", r"/api/v2/salesbot/run", salesbot.run_v2),
    _r(
        "POST",
        r"/api/v4/(?:salesbot|marketingbot)/(?P<bot_id>\d+)/continue/(?P<continue_id>\d+)",
        salesbot.resume,
        True,
    ),
]

"""Salesbot with a `widget_request` step (KOMMO.md A5).

A fake bot has two steps: (1) `widget_request` to the integration's URL, (2) "send message" with
`answer_template` (default `{{json.answer}}`), rendered with the `data` of the continue call.

Launch: `POST /api/v4/bots/run` (an object or an array of `{bot_id, entity_id, entity_type}`),
`POST /api/v4/bots/{id}/run` (`{entity_id, entity_type}`) or `POST /api/v2/salesbot/run` (array,
entity_type 1=contact, 2=lead) → 202 `{"success": true}` [M body]. Then, from a background thread:

    POST {widget_request_url}   Content-Type: application/json      (timeout `widget_request_timeout`, 2 s)
    {"token": "<JWT>", "data": {<the bot's data template, rendered>},
     "return_url": "{account base_url}/api/v4/salesbot/{bot_id}/continue/{continue_id}"}

JWT as the PHP library reads it (AmoCRMOAuth::parseBotDisposableToken): HS512, the integration's
client_secret; `iss` (account address), `aud` (scheme://host of the widget_request URL), `exp` (iat +
`continue_ttl`), `account_id`, `subdomain`, `client_uuid`, `entity_type` (2 leads, 12 customers),
`entity_id`, `bot_type` ("salesbot"), `jti`, `iat`, `nbf`. Template placeholders: `{{lead.cf.ID}}`,
`{{lead.id|name|price|status_id|pipeline_id|responsible_user_id}}`, `{{contact.id|name|phone|email}}`,
`{{contact.cf.ID}}`, `{{chat.id}}`, `{{talk.id}}`, `{{account.id|subdomain}}`, `{{origin}}`,
`{{message_text}}` (the last incoming message), `{{current_date}}`; unknown ones render empty; all as text.

Continue: `POST /api/v4/salesbot/{bot_id}/continue/{continue_id}` (also `/marketingbot/…`),
admin-only (403 otherwise), body `{"data": {…}, "execute_handlers": [...]}`:
- unknown, already used or expired (`continue_ttl`, default 600 s [M]) continue_id, or a bot_id that
  is not the one it was issued for → **404** problem+json, detail "There is no continue record with id N";
- more than 10 handlers, a `show` value over 80 characters, more than 25 buttons, an unknown
  handler → **400** `validation-errors` (paths like `execute_handlers.0.params.value`) [M codes];
- otherwise 200 `{"success": true}` [M body], and at once: every `show` is sent as an outgoing
  message from the bot, then step 2 sends the rendered `answer_template` (skipped when empty).
  Bot messages: author `{"id": <bot amojo uuid>, "type": "bot", "name": <bot name>}`, stored on the
  lead's chat and emitted as outgoing `message[add]`.
"""

from __future__ import annotations

import re
import threading
import time
import uuid
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from integrations.kommo.fakes import crm, oauth
from integrations.kommo.fakes.server import Response, error, hal, no_content, problem, validation_problem
from integrations.kommo.fakes.state import ContinueRecord, FakeAccount, FakeBot

if TYPE_CHECKING:
    from integrations.kommo.fakes.api_v4 import Ctx
    from integrations.kommo.fakes.fake import FakeKommo

MAX_HANDLERS = 10
MAX_SHOW_CHARS = 80
MAX_BUTTONS = 25
HANDLERS = {"show", "goto", "action", "meta", "conditions", "condition", "validations", "preset", "stop", "exits"}
_PLACEHOLDER = re.compile(r"\{\{\s*([\w.]+)\s*\}\}")


def add_salesbot(
    kommo: FakeKommo,
    account: FakeAccount,
    *,
    name: str,
    widget_request_url: str,
    data: dict[str, Any] | None,
    client_id: str | None,
    answer_template: str,
) -> int:
    bot = FakeBot(
        id=kommo.ids.next("bot"),
        account_id=account.id,
        name=name,
        widget_request_url=widget_request_url,
        data=data or {},
        client_id=client_id,
        answer_template=answer_template,
    )
    account.salesbots[bot.id] = bot
    return bot.id


# -- rendering ----------------------------------------------------------------------------------


def _cf(entity: dict[str, Any] | None, field_id: str) -> str:
    for entry in (entity or {}).get("custom_fields_values") or []:
        if str(entry["field_id"]) == field_id:
            return ", ".join(str(v.get("value", "")) for v in entry["values"])
    return ""


def _field_code(entity: dict[str, Any] | None, code: str) -> str:
    for entry in (entity or {}).get("custom_fields_values") or []:
        if entry.get("field_code") == code:
            return str(entry["values"][0]["value"])
    return ""


def context_for(account: FakeAccount, entity_type: str, entity_id: int) -> dict[str, Any]:
    lead = account.leads.get(entity_id) if entity_type == "leads" else None
    contact_id = crm.main_contact_id(account, entity_id) if lead else entity_id
    contact = account.contacts.get(contact_id) if contact_id else None
    chat = crm.chat_of_lead(account, lead["id"]) if lead else None
    if chat is None and contact:
        chat = next((c for c in account.chats.values() if c["contact_id"] == contact["id"]), None)
    incoming = [m for m in account.messages if chat and m["chat_id"] == chat["id"] and m["type"] == "incoming"]
    return {
        "account": account,
        "lead": lead,
        "contact": contact,
        "chat": chat,
        "last_incoming": incoming[-1] if incoming else None,
    }


def _resolve(name: str, ctx: dict[str, Any], json_data: dict[str, Any]) -> Any:
    parts = name.split(".")
    head, rest = parts[0], parts[1:]
    if head == "json":
        value: Any = json_data
        for part in rest:
            value = value.get(part) if isinstance(value, dict) else None
        return value
    lead, contact, chat, account = ctx["lead"], ctx["contact"], ctx["chat"], ctx["account"]
    if head in ("lead", "contact") and rest:
        entity = lead if head == "lead" else contact
        if entity is None:
            return ""
        if rest[0] == "cf" and len(rest) > 1:
            return _cf(entity, rest[1])
        if head == "contact" and rest[0] in ("phone", "email"):
            return _field_code(entity, rest[0].upper())
        return entity.get(rest[0], "")
    if head == "chat" and rest == ["id"]:
        return chat["id"] if chat else ""
    if head == "talk" and rest == ["id"]:
        return chat["talk_id"] if chat else ""
    if head == "account" and rest:
        return {"id": account.id, "subdomain": account.subdomain, "name": account.name}.get(rest[0], "")
    if head == "origin":
        return chat["origin"] if chat else ""
    if head == "message_text":
        return ctx["last_incoming"]["text"] if ctx["last_incoming"] else ""
    if head == "current_date":
        return time.strftime("%d.%m.%Y")
    return ""


def render(template: Any, ctx: dict[str, Any], json_data: dict[str, Any] | None = None) -> Any:
    if isinstance(template, dict):
        return {key: render(value, ctx, json_data) for key, value in template.items()}
    if isinstance(template, list):
        return [render(value, ctx, json_data) for value in template]
    if isinstance(template, str):

        def replace(match: re.Match) -> str:
            value = _resolve(match.group(1), ctx, json_data or {})
            return "" if value is None else str(value)

        return _PLACEHOLDER.sub(replace, template)
    return template


# -- running ------------------------------------------------------------------------------------


def start(kommo: FakeKommo, account: FakeAccount, bot: FakeBot, entity_type: str, entity_id: int) -> dict[str, Any]:
    """Launch the bot for an entity: a continue record now, the widget_request from a thread."""
    now = kommo.now()
    record = ContinueRecord(
        id=kommo.ids.next("continue"),
        bot_id=bot.id,
        account_id=account.id,
        entity_type=entity_type,
        entity_id=entity_id,
        expires_at=now + kommo.continue_ttl,
    )
    account.continues[record.id] = record
    ctx = context_for(account, entity_type, entity_id)
    return_url = f"{account.base_url}/api/v4/salesbot/{bot.id}/continue/{record.id}"
    body: dict[str, Any] = {"token": "", "data": render(bot.data, ctx), "return_url": return_url}
    integration = kommo.integrations.get(bot.client_id or "")
    if integration is not None:
        claims = {
            "iss": account.base_url,
            "aud": "{0.scheme}://{0.hostname}".format(urlsplit(bot.widget_request_url)),
            "jti": str(uuid.uuid4()),
            "iat": int(now),
            "nbf": int(now),
            "exp": int(now + kommo.continue_ttl),
            "account_id": account.id,
            "subdomain": account.subdomain,
            "client_uuid": integration.client_id,
            "entity_type": {"leads": 2, "customers": 12}.get(entity_type, entity_type),
            "entity_id": entity_id,
            "bot_type": "salesbot",
        }
        body["token"] = oauth.jwt_encode(claims, integration.client_secret, alg="HS512")
    run = {
        "bot_id": bot.id,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "continue_id": record.id,
        "return_url": return_url,
        "request": body,
        "status": "requested",
        "widget_status": None,
        "handlers": [],
        "sent": [],
    }
    account.salesbot_runs.append(run)
    thread = threading.Thread(target=_widget_request, args=(kommo, bot, run), name="fake-kommo-salesbot", daemon=True)
    thread.start()
    return run


def _widget_request(kommo: FakeKommo, bot: FakeBot, run: dict[str, Any]) -> None:
    status = kommo.call_out(
        "widget_request", "POST", bot.widget_request_url, timeout=kommo.widget_request_timeout, json=run["request"]
    )
    with kommo.lock:
        run["widget_status"] = status
        if run["status"] == "requested":
            run["status"] = "waiting" if status is not None and 200 <= status < 300 else "widget_failed"


def _entity_type(raw: Any) -> str | None:
    return {
        "leads": "leads",
        "lead": "leads",
        "2": "leads",
        "contacts": "contacts",
        "contact": "contacts",
        "1": "contacts",
    }.get(str(raw))


def _launch(ctx: Ctx, items: list[Any], bot_id: int | None) -> Response:
    problems, plans = {}, []
    for index, item in enumerate(items):
        errors = []
        if not isinstance(item, dict):
            problems[str(index)] = [error("InvalidType", "", "This value should be of type object.")]
            continue
        bot = ctx.account.salesbots.get(bot_id if bot_id is not None else item.get("bot_id"))
        entity_type = _entity_type(item.get("entity_type", "leads"))
        if bot is None:
            errors.append(error("NotSupportedChoice", "bot_id", "The value you selected is not a valid choice."))
        if entity_type is None:
            errors.append(error("NotSupportedChoice", "entity_type", "The value you selected is not a valid choice."))
        elif item.get("entity_id") not in ctx.account.entities(entity_type):
            errors.append(error("NotFound", "entity_id", "Entity not found."))
        if errors:
            problems[str(index)] = errors
        else:
            plans.append((bot, entity_type, item["entity_id"]))
    if problems:
        return validation_problem(problems)
    for bot, entity_type, entity_id in plans:
        start(ctx.kommo, ctx.account, bot, entity_type, entity_id)
    return hal({"success": True}, 202)


def _items(ctx: Ctx) -> list[Any] | None:
    try:
        body = ctx.req.json()
    except ValueError:
        return None
    return [body] if isinstance(body, dict) else body if isinstance(body, list) and body else None


def run_v4(ctx: Ctx, id: str | None = None) -> Response:
    items = _items(ctx)
    if items is None:
        return validation_problem({"0": [error("InvalidType", "", "The request body must be an object or an array.")]})
    return _launch(ctx, items, int(id) if id else None)


def run_v2(ctx: Ctx) -> Response:
    items = _items(ctx)
    if items is None:
        return validation_problem({"0": [error("InvalidType", "", "The request body must be an array.")]})
    return _launch(ctx, items, None)


def stop(ctx: Ctx, id: str) -> Response:
    if int(id) not in ctx.account.salesbots:
        return problem(404, "Bot not found")
    return Response(202)


def _present_bot(ctx: Ctx, bot: FakeBot) -> dict[str, Any]:
    return {
        "id": bot.id,
        "name": bot.name,
        "is_visual_editor": True,
        "type_functionality": "salesbot",
        "settings": {"active": True},
        "_links": ctx.link(f"/api/v4/bots/{bot.id}"),
    }


def list_bots(ctx: Ctx) -> Response:
    bots = [_present_bot(ctx, b) for b in ctx.account.salesbots.values()]
    if not bots:
        return no_content()
    return hal({"_total_items": len(bots), "_links": ctx.link("/api/v4/bots"), "_embedded": {"bots": bots}})


def get_bot(ctx: Ctx, id: str) -> Response:
    bot = ctx.account.salesbots.get(int(id))
    return hal(_present_bot(ctx, bot)) if bot else no_content()


# -- continue -----------------------------------------------------------------------------------


def _check_handlers(handlers: Any) -> list[dict[str, str]]:
    if handlers is None:
        return []
    if not isinstance(handlers, list):
        return [error("InvalidType", "execute_handlers", "This value should be of type array.")]
    errors = []
    if len(handlers) > MAX_HANDLERS:
        errors.append(
            error(
                "TooManyElements",
                "execute_handlers",
                f"This collection should contain {MAX_HANDLERS} elements or less.",
            )
        )
    for index, handler in enumerate(handlers):
        path = f"execute_handlers.{index}"
        if not isinstance(handler, dict) or handler.get("handler") not in HANDLERS:
            errors.append(
                error("NotSupportedChoice", f"{path}.handler", "The value you selected is not a valid choice.")
            )
            continue
        params = handler.get("params")
        if not isinstance(params, dict):
            errors.append(error("InvalidType", f"{path}.params", "This value should be of type object."))
            continue
        if handler["handler"] == "show":
            if params.get("type") not in ("text", "buttons", "buttons_url"):
                errors.append(
                    error("NotSupportedChoice", f"{path}.params.type", "The value you selected is not a valid choice.")
                )
            value = params.get("value")
            if not isinstance(value, str):
                errors.append(error("InvalidType", f"{path}.params.value", "This value should be of type string."))
            elif len(value) > MAX_SHOW_CHARS:
                errors.append(
                    error(
                        "StringTooLong",
                        f"{path}.params.value",
                        f"This value is too long. It should have {MAX_SHOW_CHARS} characters or less.",
                    )
                )
            buttons = params.get("buttons") or []
            if len(buttons) > MAX_BUTTONS:
                errors.append(
                    error(
                        "TooManyElements",
                        f"{path}.params.buttons",
                        f"This collection should contain {MAX_BUTTONS} elements or less.",
                    )
                )
        if handler["handler"] == "goto" and params.get("type") not in ("question", "answer", "finish"):
            errors.append(
                error("NotSupportedChoice", f"{path}.params.type", "The value you selected is not a valid choice.")
            )
    return errors


def resume(ctx: Ctx, bot_id: str, continue_id: str) -> Response:
    account, kommo = ctx.account, ctx.kommo
    record = account.continues.get(int(continue_id))
    if record is None or record.used or record.expires_at <= kommo.now() or record.bot_id != int(bot_id):
        return problem(404, f"There is no continue record with id {continue_id}")
    try:
        body = ctx.req.json()
    except ValueError:
        body = None
    if not isinstance(body, dict):
        return validation_problem({"0": [error("InvalidType", "", "The request body must be an object.")]})
    data = body.get("data", {})
    errors = [] if isinstance(data, dict) else [error("InvalidType", "data", "This value should be of type object.")]
    errors += _check_handlers(body.get("execute_handlers"))
    if errors:
        return validation_problem({"0": errors})
    record.used = True
    bot = account.salesbots[record.bot_id]
    run = next((r for r in account.salesbot_runs if r["continue_id"] == record.id), {})
    run.update(status="continued", data=data, handlers=body.get("execute_handlers") or [])
    author = {"id": bot.amojo_id, "type": "bot", "name": bot.name, "avatar_url": ""}
    texts = [h["params"]["value"] for h in body.get("execute_handlers") or [] if h["handler"] == "show"]
    answer = render(bot.answer_template, context_for(account, record.entity_type, record.entity_id), data)
    if answer:
        texts.append(answer)
    lead_id = record.entity_id if record.entity_type == "leads" else None
    if lead_id is None and record.entity_type == "contacts":
        lead_ids = crm.linked_ids(account, "contacts", record.entity_id, "leads")
        lead_id = lead_ids[-1] if lead_ids else None
    for text in texts:
        try:
            message = crm.outgoing_message(kommo, account, lead_id, text, author) if lead_id else None
        except LookupError:
            message = None
        run.setdefault("sent", []).append(message["id"] if message else None)
    return hal({"success": True})

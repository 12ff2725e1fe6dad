"""What happens inside the account: leads, contacts and companies created and changed (checked,
stored, with their events and webhooks), links, notes, tasks, and the chat side — a customer writes,
a manager or a bot answers — with its talks, messages, events and webhooks.

Both the REST API (`api_v4.py`) and the Python control API (`FakeKommo.customer_writes` …) come
through here, so an entity changed either way emits the same events and webhooks. Callers hold
`kommo.lock`.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from integrations.kommo.fakes import fields
from integrations.kommo.fakes.server import error
from integrations.kommo.fakes.state import FakeAccount

if TYPE_CHECKING:
    from integrations.kommo.fakes.fake import FakeKommo

SINGULAR = {"leads": "lead", "contacts": "contact", "companies": "company"}
ELEMENT_TYPE = {"contacts": 1, "leads": 2, "companies": 3, "tasks": 4}
CLOSED_STATUSES = (142, 143)


# -- webhook items (the old v2 field names the real bodies carry) --------------------------------


def lead_item(account: FakeAccount, lead: dict[str, Any], **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": lead["id"],
        "name": lead["name"],
        "status_id": lead["status_id"],
        "price": lead["price"] or "",
        "responsible_user_id": lead["responsible_user_id"],
        "last_modified": lead["updated_at"],
        "modified_user_id": lead["updated_by"],
        "created_user_id": lead["created_by"],
        "date_create": lead["created_at"],
        "pipeline_id": lead["pipeline_id"],
        "account_id": account.id,
        "created_at": lead["created_at"],
        "updated_at": lead["updated_at"],
    }
    tags = lead["_embedded"].get("tags") or []
    if tags:
        item["tags"] = [{"id": t["id"], "name": t["name"]} for t in tags]
    custom = fields.webhook_shape(lead["custom_fields_values"])
    if custom:
        item["custom_fields"] = custom
    item.update(extra)  # old_status_id & co. come after custom_fields, as in the captured samples
    return item


def contact_item(account: FakeAccount, entity_type: str, contact: dict[str, Any], **extra: Any) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": contact["id"],
        "name": contact["name"],
        "responsible_user_id": contact["responsible_user_id"],
        "date_create": contact["created_at"],
        "last_modified": contact["updated_at"],
        "created_user_id": contact["created_by"],
        "modified_user_id": contact["updated_by"],
        "account_id": account.id,
        "created_at": contact["created_at"],
        "updated_at": contact["updated_at"],
        "type": SINGULAR[entity_type],
    }
    lead_ids = linked_ids(account, entity_type, contact["id"], "leads")
    if lead_ids:
        item["linked_leads_id"] = {str(lead_id): {"ID": lead_id} for lead_id in lead_ids}
    custom = fields.webhook_shape(contact["custom_fields_values"])
    if custom:
        item["custom_fields"] = custom
    item.update(extra)
    return item


def emit(kommo: FakeKommo, account: FakeAccount, setting: str, item: dict[str, Any]) -> None:
    kommo.emitter.emit(account, setting, item)


def add_event(
    kommo: FakeKommo,
    account: FakeAccount,
    kind: str,
    entity_type: str,
    entity_id: int,
    *,
    after: list[dict[str, Any]] | None = None,
    before: list[dict[str, Any]] | None = None,
    user_id: int = 0,
) -> None:
    account.events.append(
        {
            "id": uuid.uuid4().hex[:24],
            "type": kind,
            "entity_id": entity_id,
            "entity_type": SINGULAR.get(entity_type, entity_type),
            "created_by": user_id,
            "created_at": int(kommo.now()),
            "value_after": after or [],
            "value_before": before or [],
            "account_id": account.id,
        }
    )


# -- links --------------------------------------------------------------------------------------


def linked_ids(account: FakeAccount, entity_type: str, entity_id: int, to_type: str) -> list[int]:
    found = []
    for link in account.links:
        if link["entity_type"] == entity_type and link["entity_id"] == entity_id and link["to_entity_type"] == to_type:
            found.append(link["to_entity_id"])
        elif (
            link["to_entity_type"] == entity_type
            and link["to_entity_id"] == entity_id
            and link["entity_type"] == to_type
        ):
            found.append(link["entity_id"])
    return found


def link(account: FakeAccount, entity_type: str, entity_id: int, to_type: str, to_id: int, metadata=None) -> dict:
    for existing in account.links:
        same = (existing["entity_type"], existing["entity_id"], existing["to_entity_type"], existing["to_entity_id"])
        if same in ((entity_type, entity_id, to_type, to_id), (to_type, to_id, entity_type, entity_id)):
            return existing
    row = {
        "entity_id": entity_id,
        "entity_type": entity_type,
        "to_entity_id": to_id,
        "to_entity_type": to_type,
        "metadata": metadata or None,
    }
    if entity_type == "leads" and to_type == "contacts":
        has_main = any(linked_ids(account, "leads", entity_id, "contacts"))
        row["metadata"] = {"is_main": not has_main, **(metadata or {})}
    account.links.append(row)
    return row


def unlink(account: FakeAccount, entity_type: str, entity_id: int, to_type: str, to_id: int) -> None:
    account.links[:] = [
        row
        for row in account.links
        if (row["entity_type"], row["entity_id"], row["to_entity_type"], row["to_entity_id"])
        not in ((entity_type, entity_id, to_type, to_id), (to_type, to_id, entity_type, entity_id))
    ]


def main_contact_id(account: FakeAccount, lead_id: int) -> int | None:
    for row in account.links:
        is_lead_contact = (row["entity_type"], row["entity_id"], row["to_entity_type"]) == (
            "leads",
            lead_id,
            "contacts",
        )
        if is_lead_contact and (row.get("metadata") or {}).get("is_main"):
            return row["to_entity_id"]
    ids = linked_ids(account, "leads", lead_id, "contacts")
    return ids[0] if ids else None


# -- entities -----------------------------------------------------------------------------------


def _tags(kommo: FakeKommo, raw: Any, path: str, errors: list[dict[str, str]]) -> list[dict[str, Any]]:
    tags = []
    for index, tag in enumerate(raw or []):
        if not isinstance(tag, dict) or not (tag.get("name") or tag.get("id")):
            errors.append(error("InvalidType", f"{path}.{index}", "A tag needs a name or an id."))
            continue
        name = tag.get("name") or f"tag {tag['id']}"
        known = kommo.tags.setdefault(name, kommo.ids.next("tag"))
        tags.append({"id": tag.get("id") or known, "name": name, "color": None})
    return tags


def _int_field(item: dict, key: str, errors: list, *, minimum: int = 0) -> None:
    value = item.get(key)
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < minimum):
        errors.append(error("InvalidType", key, "This value should be of type int."))


def build(
    kommo: FakeKommo,
    account: FakeAccount,
    entity_type: str,
    item: Any,
    *,
    user_id: int,
    current: dict[str, Any] | None = None,
) -> tuple[dict[str, Any] | None, list[dict[str, str]]]:
    """The entity as `item` would leave it (a new one when `current` is None), and the errors."""
    errors: list[dict[str, str]] = []
    if not isinstance(item, dict):
        return None, [error("InvalidType", "", "This value should be of type object.")]
    now = int(kommo.now())
    entity = (
        _deep_copy(current)
        if current is not None
        else {
            "id": kommo.ids.next(SINGULAR[entity_type] if entity_type != "companies" else "company"),
            "name": "",
            "responsible_user_id": user_id,
            "group_id": 0,
            "created_by": user_id,
            "updated_by": user_id,
            "created_at": now,
            "updated_at": now,
            "closest_task_at": None,
            "is_deleted": False,
            "custom_fields_values": None,
            "account_id": account.id,
            "_embedded": {"tags": [], "companies": []},
        }
    )
    if current is None and entity_type == "leads":
        pipeline = account.main_pipeline
        entity.update(
            {
                "price": 0,
                "status_id": _first_status(pipeline)["id"],
                "pipeline_id": pipeline["id"],
                "loss_reason_id": None,
                "closed_at": None,
                "score": None,
                "labor_cost": None,
            }
        )
        entity["name"] = ""
    if current is None and entity_type == "contacts":
        entity.update({"first_name": "", "last_name": "", "is_unsorted": False})
    for key in ("responsible_user_id", "created_by", "updated_by", "created_at", "updated_at", "price", "closed_at"):
        if key in item and not (key == "price" and entity_type != "leads"):
            _int_field(item, key, errors)
    if "name" in item:
        if not isinstance(item["name"], (str, int)) or isinstance(item["name"], bool):
            errors.append(error("InvalidType", "name", "This value should be of type string."))
        else:
            entity["name"] = str(item["name"])
    for key in ("first_name", "last_name"):
        if entity_type == "contacts" and isinstance(item.get(key), str):
            entity[key] = item[key]
    if entity_type == "contacts" and not item.get("name") and (item.get("first_name") or item.get("last_name")):
        entity["name"] = " ".join(p for p in (entity.get("first_name"), entity.get("last_name")) if p)
    if item.get("responsible_user_id") is not None and item["responsible_user_id"] not in account.users:
        errors.append(
            error("NotSupportedChoice", "responsible_user_id", "The value you selected is not a valid choice.")
        )
    for key in ("responsible_user_id", "created_by", "created_at", "closed_at"):
        if isinstance(item.get(key), int) and not isinstance(item.get(key), bool):
            entity[key] = item[key]
    if entity_type == "leads":
        if isinstance(item.get("price"), int) and not isinstance(item["price"], bool):
            entity["price"] = item["price"]
        _lead_status(account, entity, item, errors)
    if "custom_fields_values" in item:
        entity["custom_fields_values"] = fields.apply(
            account, entity_type, entity["custom_fields_values"], item["custom_fields_values"], errors
        )
    embedded = item.get("_embedded") or {}
    if isinstance(embedded, dict) and "tags" in embedded:
        entity["_embedded"]["tags"] = _tags(kommo, embedded["tags"], "_embedded.tags", errors)
    if current is None and entity_type == "leads" and not entity["name"]:
        entity["name"] = f"Lead #{entity['id']}"
    entity["updated_by"] = item["updated_by"] if isinstance(item.get("updated_by"), int) else user_id
    entity["updated_at"] = item["updated_at"] if isinstance(item.get("updated_at"), int) else now
    return (None if errors else entity), errors


def _first_status(pipeline: dict[str, Any]) -> dict[str, Any]:
    """The first stage a new lead goes to: the first one after "Incoming leads" (the unsorted one)."""
    return next(s for s in pipeline["_embedded"]["statuses"] if s["type"] == 0 and s["id"] not in CLOSED_STATUSES)


def _lead_status(account: FakeAccount, lead: dict, item: dict, errors: list) -> None:
    pipeline_id = item.get("pipeline_id")
    status_id = item.get("status_id")
    if pipeline_id is not None and pipeline_id not in account.pipelines:
        errors.append(error("NotSupportedChoice", "pipeline_id", "The value you selected is not a valid choice."))
        return
    if status_id is None and pipeline_id is not None and pipeline_id != lead["pipeline_id"]:
        lead["pipeline_id"] = pipeline_id
        lead["status_id"] = _first_status(account.pipelines[pipeline_id])["id"]
        return
    if status_id is not None:
        if pipeline_id is None:  # the lead's own pipeline first (142/143 are in every one)
            status = account.status(status_id, lead["pipeline_id"]) or account.status(status_id)
        else:
            status = account.status(status_id, pipeline_id)
        if status is None or isinstance(status_id, bool):
            errors.append(error("NotSupportedChoice", "status_id", "The value you selected is not a valid choice."))
            return
        lead["pipeline_id"], lead["status_id"] = status["pipeline_id"], status_id


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value


def store_new(kommo: FakeKommo, account: FakeAccount, entity_type: str, entity: dict, item: dict, user_id: int) -> None:
    """Keep a built entity, link what its `_embedded` names, record the event, emit `…[add]`."""
    account.entities(entity_type)[entity["id"]] = entity
    embedded = item.get("_embedded") if isinstance(item, dict) else None
    for to_type in ("contacts", "companies", "leads"):
        for ref in (embedded or {}).get(to_type) or []:
            if isinstance(ref, dict) and ref.get("id") in account.entities(to_type):
                link(account, entity_type, entity["id"], to_type, ref["id"])
    singular = SINGULAR[entity_type]
    add_event(kommo, account, f"{singular}_added", entity_type, entity["id"], user_id=user_id)
    if entity_type == "leads":
        if entity["status_id"] in CLOSED_STATUSES:
            entity["closed_at"] = entity["closed_at"] or entity["created_at"]
        emit(kommo, account, "add_lead", lead_item(account, entity))
    else:
        emit(kommo, account, f"add_{singular}", contact_item(account, entity_type, entity))


def store_update(
    kommo: FakeKommo, account: FakeAccount, entity_type: str, before: dict, after: dict, item: dict, user_id: int
) -> None:
    """Keep a changed entity, record events, emit `…[update]` and `leads[status]`/`[responsible]`."""
    account.entities(entity_type)[after["id"]] = after
    embedded = item.get("_embedded") if isinstance(item, dict) else None
    for to_type in ("contacts", "companies"):
        for ref in (embedded or {}).get(to_type) or []:
            if isinstance(ref, dict) and ref.get("id") in account.entities(to_type):
                link(account, entity_type, after["id"], to_type, ref["id"])
    singular = SINGULAR[entity_type]
    extra: dict[str, Any] = {}
    if entity_type == "leads" and (before["status_id"], before["pipeline_id"]) != (
        after["status_id"],
        after["pipeline_id"],
    ):
        if after["status_id"] in CLOSED_STATUSES and not after.get("closed_at"):
            after["closed_at"] = after["updated_at"]
        elif after["status_id"] not in CLOSED_STATUSES:
            after["closed_at"] = None
        add_event(
            kommo,
            account,
            "lead_status_changed",
            "leads",
            after["id"],
            after=[{"lead_status": {"id": after["status_id"], "pipeline_id": after["pipeline_id"]}}],
            before=[{"lead_status": {"id": before["status_id"], "pipeline_id": before["pipeline_id"]}}],
            user_id=user_id,
        )
        emit(
            kommo,
            account,
            "status_lead",
            lead_item(account, after, old_status_id=before["status_id"], old_pipeline_id=before["pipeline_id"]),
        )
    if before["responsible_user_id"] != after["responsible_user_id"]:
        add_event(
            kommo,
            account,
            "entity_responsible_changed",
            entity_type,
            after["id"],
            after=[{"responsible_user": {"id": after["responsible_user_id"]}}],
            before=[{"responsible_user": {"id": before["responsible_user_id"]}}],
            user_id=user_id,
        )
        extra["old_responsible_user_id"] = before["responsible_user_id"]
        item_for = lead_item(account, after, **extra) if entity_type == "leads" else None
        if item_for is not None:
            emit(kommo, account, "responsible_lead", item_for)
        else:
            emit(kommo, account, f"responsible_{singular}", contact_item(account, entity_type, after, **extra))
    if before.get("name") != after.get("name"):
        add_event(kommo, account, "name_field_changed", entity_type, after["id"], user_id=user_id)
    if entity_type == "leads" and before["price"] != after["price"]:
        add_event(
            kommo,
            account,
            "sale_field_changed",
            "leads",
            after["id"],
            after=[{"sale_field_value": {"sale": after["price"]}}],
            before=[{"sale_field_value": {"sale": before["price"]}}],
            user_id=user_id,
        )
    before_fields = {e["field_id"]: e for e in before["custom_fields_values"] or []}
    for entry in after["custom_fields_values"] or []:
        if before_fields.pop(entry["field_id"], None) != entry:
            add_event(
                kommo,
                account,
                f"custom_field_{entry['field_id']}_value_changed",
                entity_type,
                after["id"],
                user_id=user_id,
            )
    for field_id in before_fields:
        add_event(kommo, account, f"custom_field_{field_id}_value_changed", entity_type, after["id"], user_id=user_id)
    if entity_type == "leads":
        emit(kommo, account, "update_lead", lead_item(account, after))
    else:
        emit(kommo, account, f"update_{singular}", contact_item(account, entity_type, after))


def delete_lead(kommo: FakeKommo, account: FakeAccount, lead_id: int) -> None:
    lead = account.leads[lead_id]
    lead["is_deleted"] = True
    add_event(kommo, account, "lead_deleted", "leads", lead_id)
    emit(kommo, account, "delete_lead", {"id": lead_id, "type": "lead"})


# -- notes and tasks ----------------------------------------------------------------------------


def add_note(
    kommo: FakeKommo, account: FakeAccount, entity_type: str, entity_id: int, note_type: str, params: dict, user_id: int
) -> dict[str, Any]:
    now = int(kommo.now())
    note = {
        "id": kommo.ids.next("note"),
        "entity_id": entity_id,
        "entity_type": entity_type,
        "created_by": user_id,
        "updated_by": user_id,
        "created_at": now,
        "updated_at": now,
        "responsible_user_id": user_id,
        "group_id": 0,
        "note_type": note_type,
        "params": params,
        "account_id": account.id,
    }
    account.notes[note["id"]] = note
    add_event(kommo, account, f"{note_type}_note_added", entity_type, entity_id, user_id=user_id)
    singular = SINGULAR[entity_type]
    emit(
        kommo,
        account,
        f"note_{singular}",
        {
            "note": {
                "id": note["id"],
                "element_id": entity_id,
                "element_type": ELEMENT_TYPE[entity_type],
                "note_type": 4 if note_type == "common" else note_type,
                "text": params.get("text", ""),
                "created_by": user_id,
                "date_create": now,
                "last_modified": now,
                "account_id": account.id,
            },
            "type": singular,
        },
    )
    return note


# -- chats, talks, messages ---------------------------------------------------------------------


def _phone_values(phone: str | None, email: str | None, account: FakeAccount) -> list[dict[str, Any]]:
    errors: list = []
    wanted = []
    if phone:
        wanted.append({"field_code": "PHONE", "values": [{"value": phone, "enum_code": "MOB"}]})
    if email:
        wanted.append({"field_code": "EMAIL", "values": [{"value": email, "enum_code": "WORK"}]})
    return fields.apply(account, "contacts", None, wanted, errors) or []


def _contact_phones(contact: dict[str, Any]) -> list[str]:
    phones = []
    for entry in contact["custom_fields_values"] or []:
        if entry.get("field_code") == "PHONE":
            phones.extend(_digits(v["value"]) for v in entry["values"])
    return phones


def _digits(text: str) -> str:
    return "".join(ch for ch in str(text) if ch.isdigit())


def _new_talk(kommo: FakeKommo, account: FakeAccount, chat: dict[str, Any]) -> dict[str, Any]:
    now = int(kommo.now())
    talk = {
        "talk_id": kommo.ids.next("talk"),
        "created_at": now,
        "updated_at": now,
        "rate": 0,
        "contact_id": chat["contact_id"],
        "chat_id": chat["id"],
        "entity_id": chat["lead_id"],
        "entity_type": "lead",
        "is_in_work": True,
        "is_read": False,
        "origin": chat["origin"],
        "missed_at": None,
        "account_id": account.id,
    }
    account.talks[talk["talk_id"]] = talk
    chat["talk_id"] = talk["talk_id"]
    emit(kommo, account, "add_talk", dict(talk))
    return talk


def customer_writes(
    kommo: FakeKommo,
    account: FakeAccount,
    *,
    origin: str,
    text: str,
    name: str,
    phone: str | None,
    chat_id: str | None,
    email: str | None = None,
    message_type: str = "text",
    attachment: dict[str, Any] | None = None,
    unsorted: bool = False,
    channel_id: str | None = None,
    conversation_id: str | None = None,
) -> dict[str, Any]:
    """A customer's message arrives: contact, lead, talk and chat are made or reused, then stored."""
    chat = account.chats.get(chat_id) if chat_id else None
    if chat is None and phone:
        wanted = _digits(phone)
        chat = next(
            (c for c in account.chats.values() if c["origin"] == origin and _digits(c.get("phone") or "") == wanted),
            None,
        )
    if chat is None and conversation_id:
        chat = next((c for c in account.chats.values() if c.get("conversation_id") == conversation_id), None)
    admin_id = account.admin["id"]
    contact = account.contacts.get(chat["contact_id"]) if chat else None
    if contact is None and phone:
        wanted = _digits(phone)
        contact = next((c for c in account.contacts.values() if wanted in _contact_phones(c)), None)
    if contact is None:
        contact, _ = build(
            kommo, account, "contacts", {"name": name or f"Customer {phone or ''}".strip()}, user_id=admin_id
        )
        assert contact is not None
        contact["custom_fields_values"] = _phone_values(phone, email, account) or None
        store_new(kommo, account, "contacts", contact, {}, admin_id)
    lead = account.leads.get(chat["lead_id"]) if chat else None
    if lead is None or lead["status_id"] in CLOSED_STATUSES or lead["is_deleted"]:
        pipeline = account.main_pipeline
        status = pipeline["_embedded"]["statuses"][0] if unsorted else _first_status(pipeline)
        lead, _ = build(
            kommo,
            account,
            "leads",
            {"pipeline_id": pipeline["id"], "status_id": status["id"]},
            user_id=admin_id,
        )
        assert lead is not None
        link(account, "leads", lead["id"], "contacts", contact["id"])
        store_new(kommo, account, "leads", lead, {}, admin_id)
        if unsorted:
            _add_unsorted(kommo, account, lead, contact, origin, text)
    if chat is None:
        chat = {
            "id": chat_id or str(uuid.uuid4()),
            "origin": origin,
            "contact_id": contact["id"],
            "lead_id": lead["id"],
            "phone": phone,
            "client_amojo_id": str(uuid.uuid4()),
            "client_name": name,
            "talk_id": None,
            "channel_id": channel_id,
            "conversation_id": conversation_id,
            "created_at": int(kommo.now()),
        }
        account.chats[chat["id"]] = chat
    chat["lead_id"], chat["contact_id"] = lead["id"], contact["id"]
    talk = account.talks.get(chat["talk_id"]) if chat["talk_id"] else None
    if talk is None or not talk["is_in_work"] or talk["entity_id"] != lead["id"]:
        talk = _new_talk(kommo, account, chat)
    else:
        talk.update(updated_at=int(kommo.now()), is_read=False)
        emit(kommo, account, "update_talk", dict(talk))
    author = {"id": chat["client_amojo_id"], "type": "external", "name": name or contact["name"], "avatar_url": ""}
    message = _store_message(kommo, account, chat, talk, "incoming", text, author, message_type, attachment)
    return {
        "message_id": message["id"],
        "chat_id": chat["id"],
        "talk_id": talk["talk_id"],
        "lead_id": lead["id"],
        "contact_id": contact["id"],
    }


def _add_unsorted(kommo: FakeKommo, account: FakeAccount, lead: dict, contact: dict, origin: str, text: str) -> None:
    row = {
        "uid": uuid.uuid4().hex,
        "source_uid": uuid.uuid4().hex,
        "source_name": origin,
        "category": "chats",
        "pipeline_id": lead["pipeline_id"],
        "created_at": int(kommo.now()),
        "lead_id": lead["id"],
        "contact_id": contact["id"],
        "metadata": {"from": contact["name"], "origin": origin, "last_message_text": text},
        "account_id": account.id,
    }
    account.unsorted.append(row)
    emit(
        kommo,
        account,
        "add_unsorted",
        {
            "uid": row["uid"],
            "source": origin,
            "source_uid": row["source_uid"],
            "category": "chats",
            "lead_id": lead["id"],
            "pipeline_id": lead["pipeline_id"],
            "created_at": row["created_at"],
            "data": {"leads": [{"id": lead["id"]}], "contacts": [{"id": contact["id"]}]},
            "source_data": {"origin": origin, "from": contact["name"], "data": [{"text": text}]},
            "account_id": account.id,
        },
    )


def chat_of_lead(account: FakeAccount, lead_id: int) -> dict[str, Any] | None:
    chats = [c for c in account.chats.values() if c["lead_id"] == lead_id]
    return max(chats, key=lambda c: c["created_at"]) if chats else None


def outgoing_message(
    kommo: FakeKommo,
    account: FakeAccount,
    lead_id: int,
    text: str,
    author: dict[str, Any],
    *,
    chat: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """A manager or a bot writes to the customer on the lead's chat."""
    chat = chat or chat_of_lead(account, lead_id)
    if chat is None:
        raise LookupError(f"lead {lead_id} has no chat: a customer must write first")
    talk = account.talks.get(chat["talk_id"]) if chat["talk_id"] else None
    if talk is None or not talk["is_in_work"]:
        talk = _new_talk(kommo, account, chat)
    else:
        talk.update(updated_at=int(kommo.now()), is_read=True)
        emit(kommo, account, "update_talk", dict(talk))
    return _store_message(kommo, account, chat, talk, "outgoing", text, author, "text", None)


def _store_message(
    kommo: FakeKommo,
    account: FakeAccount,
    chat: dict,
    talk: dict,
    direction: str,
    text: str,
    author: dict,
    message_type: str,
    attachment: dict | None,
) -> dict[str, Any]:
    message = {
        "id": str(uuid.uuid4()),
        "chat_id": chat["id"],
        "talk_id": talk["talk_id"],
        "contact_id": chat["contact_id"],
        "lead_id": chat["lead_id"],
        "text": text,
        "created_at": int(kommo.now()),
        "type": direction,
        "message_type": message_type,
        "author": author,
        "origin": chat["origin"],
    }
    if attachment:
        message["attachment"] = attachment
    account.messages.append(message)
    add_event(
        kommo,
        account,
        f"{direction}_chat_message",
        "leads",
        chat["lead_id"],
        after=[{"message": {"id": message["id"], "origin": chat["origin"], "talk_id": talk["talk_id"]}}],
        user_id=author["id"] if author["type"] == "user" else 0,
    )
    item = {
        "id": message["id"],
        "chat_id": chat["id"],
        "talk_id": talk["talk_id"],
        "contact_id": chat["contact_id"],
        "text": text,
        "created_at": message["created_at"],
        "message_type": message_type,
        "element_type": 2,
        "entity_type": "lead",
        "element_id": chat["lead_id"],
        "entity_id": chat["lead_id"],
        "type": direction,
        "author": author,
        "origin": chat["origin"],
    }
    if attachment:
        item["attachment"] = attachment
    emit(kommo, account, "add_message", item)
    return message

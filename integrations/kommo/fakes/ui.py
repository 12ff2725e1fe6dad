"""The tiny HTML UI on the hub, for the offline demo: `GET /` lists the accounts, their leads and
each lead's message thread (incoming / outgoing by a manager / by a bot); a form "a customer
writes on WhatsApp/Telegram/Instagram" (`POST /ui/customer-writes`, calls `customer_writes`) and,
per lead, "answer as a manager" (`POST /ui/manager-writes`). No JavaScript, no styling framework.
"""

from __future__ import annotations

import html as html_lib
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl

from integrations.kommo.fakes.server import Request, Response, html, redirect

if TYPE_CHECKING:
    from integrations.kommo.fakes.fake import FakeKommo

ORIGINS = ("whatsapp", "telegram", "instagram")
_STYLE = """body{font-family:system-ui,sans-serif;max-width:60rem;margin:1.5rem auto;color:#222}
section{border:1px solid #ddd;border-radius:6px;padding:.5rem 1rem;margin:1rem 0}
.msg{margin:.2rem 0;padding:.3rem .6rem;border-radius:6px;max-width:75%}
.incoming{background:#f1f1f1}.outgoing{background:#dcf3ff;margin-left:auto}.bot{background:#e7f9e0;margin-left:auto}
small{color:#777}form.inline{display:flex;gap:.4rem;margin:.4rem 0}input[name=text]{flex:1}"""


def _esc(value: object) -> str:
    return html_lib.escape(str(value))


def page(kommo: FakeKommo) -> Response:
    parts = [
        "<!doctype html><html><head><meta charset='utf-8'><title>Kommo (local)</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Kommo (local fake)</h1><p><a href='/'>refresh</a></p>",
    ]
    with kommo.lock:
        for account in kommo.accounts.values():
            parts.append(
                f"<section><h2>{_esc(account.name)} <small>{_esc(account.subdomain)} · {_esc(account.base_url)} · "
                f"account {account.id}</small></h2>"
            )
            options = "".join(f"<option>{o}</option>" for o in ORIGINS)
            parts.append(
                "<form class='inline' method='post' action='/ui/customer-writes'>"
                f"<input type='hidden' name='account_id' value='{account.id}'>"
                "A customer writes on <select name='origin'>" + options + "</select>"
                "<input name='name' placeholder='name' value='Ana' size='8'>"
                "<input name='phone' placeholder='phone' value='+5511999990000' size='14'>"
                "<input name='text' placeholder='message' required><button>Send</button></form>"
            )
            hooks = ", ".join(
                f"{_esc(h['destination'])}{' (disabled)' if h['disabled'] else ''}" for h in account.webhooks
            )
            parts.append(f"<p><small>webhooks: {hooks or 'none'}</small></p>")
            for lead in sorted(account.leads.values(), key=lambda item: -item["id"]):
                status = account.status(lead["status_id"], lead["pipeline_id"]) or {"name": lead["status_id"]}
                parts.append(f"<h3>{_esc(lead['name'])} <small>#{lead['id']} · {_esc(status['name'])}</small></h3>")
                for message in (m for m in account.messages if m["lead_id"] == lead["id"]):
                    kind = "bot" if message["author"]["type"] == "bot" else message["type"]
                    parts.append(
                        f"<div class='msg {kind}'><small>{_esc(message['author']['name'])} · {_esc(message['origin'])}"
                        f"</small><br>{_esc(message['text'])}</div>"
                    )
                if any(c["lead_id"] == lead["id"] for c in account.chats.values()):
                    parts.append(
                        "<form class='inline' method='post' action='/ui/manager-writes'>"
                        f"<input type='hidden' name='account_id' value='{account.id}'>"
                        f"<input type='hidden' name='lead_id' value='{lead['id']}'>"
                        "<input name='text' placeholder='answer as a manager' required><button>Reply</button></form>"
                    )
            parts.append("</section>")
    parts.append("</body></html>")
    return html("".join(parts))


def dispatch(kommo: FakeKommo, req: Request) -> Response | None:
    if req.path == "/" and req.method == "GET":
        return page(kommo)
    if req.path == "/favicon.ico":  # browsers ask for it on every page: no icon, and no 404 in their console
        return html("", 204)
    if req.method != "POST" or req.path not in ("/ui/customer-writes", "/ui/manager-writes"):
        return None
    form = dict(parse_qsl(req.body.decode(errors="replace"), keep_blank_values=True))
    account = kommo.accounts.get(int(form.get("account_id") or 0))
    if account is None or not form.get("text"):
        return html("<h1>Bad form</h1>", 400)
    if req.path == "/ui/customer-writes":
        origin = form.get("origin") if form.get("origin") in ORIGINS else "whatsapp"
        kommo.customer_writes(
            account, origin=origin, text=form["text"], name=form.get("name") or "", phone=form.get("phone") or None
        )
    else:
        lead_id = int(form.get("lead_id") or 0)
        chat = next((c for c in account.chats.values() if c["lead_id"] == lead_id and c.get("channel_id")), None)
        try:
            if chat is not None:  # a chat of a Chats API channel: Kommo hands the answer to the channel
                kommo.manager_writes_in_channel(account, chat["id"], text=form["text"])
            else:
                kommo.manager_writes(account, lead_id, text=form["text"])
        except LookupError:
            return html("<h1>That lead has no chat</h1>", 400)
    return redirect("/", 303)

"""The local Stripe's state and API: products, prices, customers, Checkout Sessions (with a page whose
"Pay" button completes them), subscriptions (proration, cancel at period end), invoices (with PDF and
hosted links), invoice previews, billing-portal sessions, webhook endpoints and events.

Events are queued in `outbox` and, when `auto_deliver` is on (the demo, browser tests), posted to every
registered endpoint from a background thread, signed with Stripe's scheme:
`Stripe-Signature: t=<unix>,v1=<hex HMAC-SHA256(endpoint secret, f"{t}.{payload}")>`.
Unit tests deliver the outbox themselves (`take_events`), in any order, as often as they like.
"""

from __future__ import annotations

import base64
import calendar
import datetime as dt
import hashlib
import hmac
import html
import json
import os
import secrets
import string
import threading
import time
import urllib.error
import urllib.request
from typing import Any

from billing.fakes.http import (
    Listener,
    Request,
    Response,
    StripeError,
    html_response,
    json_response,
    redirect,
)

_ALPHABET = string.ascii_letters + string.digits
_RESOURCES = {
    "products": "product",
    "prices": "price",
    "customers": "customer",
    "subscriptions": "subscription",
    "invoices": "invoice",
    "webhook_endpoints": "webhook_endpoint",
    "events": "event",
    "checkout/sessions": "checkout.session",
}

# Lists the platform may read but the local Stripe keeps nothing in.
_EMPTY_LISTS = ("payment_methods", "charges", "payment_intents", "tax_ids", "discounts", "invoiceitems")


def sign_payload(payload: str, secret: str, timestamp: int | None = None) -> str:
    """The Stripe-Signature header of `payload`: `t=…,v1=…`."""
    timestamp = int(time.time()) if timestamp is None else timestamp
    digest = hmac.new(secret.encode(), f"{timestamp}.{payload}".encode(), hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def _api_key_of(authorization: str) -> str:
    """`Bearer sk_…` (the libraries) or `Basic base64("sk_…:")` (curl -u sk_…:), as Stripe accepts."""
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() == "basic":
        try:
            return base64.b64decode(value).decode().partition(":")[0]
        except ValueError:
            return ""
    return value.strip() if scheme.lower() == "bearer" else ""


def _id(prefix: str) -> str:
    return f"{prefix}_{''.join(secrets.choice(_ALPHABET) for _ in range(24))}"


def _truthy(value: Any) -> bool:
    return str(value).lower() in ("true", "1")


def _add_month(ts: int) -> int:
    day = dt.datetime.fromtimestamp(ts, dt.UTC)
    month = day.month % 12 + 1
    year = day.year + (day.month == 12)
    last = calendar.monthrange(year, month)[1]
    return int(day.replace(year=year, month=month, day=min(day.day, last)).timestamp())


class FakeStripe:
    """A Stripe account in memory. `FakeStripe(api_key="sk_test_…").start()`; `.url` is the API base."""

    def __init__(
        self,
        *,
        api_key: str = "",
        host: str = "127.0.0.1",
        port: int = 0,
        auto_deliver: bool = False,
        state_file: str | None = None,
    ):
        self.api_key = api_key
        self.state_file = state_file
        self.host, self.port = host, port
        self.auto_deliver = auto_deliver
        self.lock = threading.RLock()
        self.objects: dict[str, dict[str, dict]] = {kind: {} for kind in _RESOURCES.values()}
        self.outbox: list[dict] = []
        self.deliveries: list[tuple[str, str, int]] = []  # (event id, url, HTTP status)
        self.idempotent: dict[str, Response] = {}
        self.clock: int | None = None  # frozen unix time (tests); None: the real clock
        self.account = {
            "id": _id("acct"),
            "object": "account",
            "type": "standard",
            "country": "US",
            "default_currency": "usd",
            "email": "billing@local.test",
            "charges_enabled": True,
            "payouts_enabled": True,
            "details_submitted": True,
            "settings": {"dashboard": {"display_name": "Local Stripe"}},
            "business_profile": {"name": "Local Stripe"},
            "metadata": {},
            "capabilities": {},
            "created": int(time.time()),
        }
        self.listener: Listener | None = None
        self._wake = threading.Event()

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FakeStripe:
        if self.state_file and os.path.exists(self.state_file):
            with open(self.state_file) as f:
                saved = json.load(f)
            self.objects.update(saved["objects"])
            self.account = saved["account"]
        self.listener = Listener(self.dispatch, host=self.host, port=self.port)
        threading.Thread(target=self._deliver_loop, name="fake-stripe-webhooks", daemon=True).start()
        return self

    def stop(self) -> None:
        if self.listener:
            self.listener.stop()

    @property
    def url(self) -> str:
        assert self.listener is not None, "start() first"
        return self.listener.url

    def _save(self) -> None:
        """The demo's local Stripe keeps its objects across restarts (the platform's database does)."""
        if self.state_file:
            with self.lock, open(self.state_file, "w") as f:
                json.dump({"objects": self.objects, "account": self.account}, f)

    def now(self) -> int:
        return self.clock if self.clock is not None else int(time.time())

    # -- events and webhooks ------------------------------------------------------------------------

    def _emit(self, type_: str, obj: dict, previous: dict | None = None) -> dict:
        data: dict[str, Any] = {"object": json.loads(json.dumps(obj))}
        if previous:
            data["previous_attributes"] = previous
        event = {
            "id": _id("evt"),
            "object": "event",
            "api_version": "2026-05-27.dahlia",
            "created": self.now(),
            "data": data,
            "livemode": False,
            "pending_webhooks": 1,
            "type": type_,
            "request": {"id": None, "idempotency_key": None},
        }
        self.objects["event"][event["id"]] = event
        self.outbox.append(event)
        self._wake.set()
        return event

    def take_events(self) -> list[dict]:
        """The queued events (oldest first), removed from the outbox: a test delivers them itself."""
        with self.lock:
            events, self.outbox = self.outbox, []
        return events

    def signed(self, event: dict, *, secret: str | None = None, timestamp: int | None = None) -> tuple[str, str]:
        """(payload, Stripe-Signature) of an event for the first endpoint (or `secret`)."""
        payload = json.dumps(event, indent=2)
        if secret is None:
            secret = next(iter(self.objects["webhook_endpoint"].values()))["secret"]
        return payload, sign_payload(payload, secret, timestamp)

    def _deliver_loop(self) -> None:
        while True:
            self._wake.wait(0.2)
            self._wake.clear()
            if not self.auto_deliver:
                continue
            for event in self.take_events():
                for endpoint in list(self.objects["webhook_endpoint"].values()):
                    if endpoint["status"] == "enabled" and (
                        "*" in endpoint["enabled_events"] or event["type"] in endpoint["enabled_events"]
                    ):
                        self._post(event, endpoint)

    def _post(self, event: dict, endpoint: dict) -> None:
        payload, signature = self.signed(event, secret=endpoint["secret"])
        request = urllib.request.Request(  # noqa: S310 (the endpoint the platform registered)
            endpoint["url"],
            data=payload.encode(),
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Stripe-Signature": signature,
                "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310 (a configured endpoint)
                status = response.status
        except urllib.error.HTTPError as exc:
            status = exc.code
        except OSError:
            status = 0
        self.deliveries.append((event["id"], endpoint["url"], status))

    # -- test controls ------------------------------------------------------------------------------

    def payment_fail(self, subscription_id: str) -> dict:
        """The subscription's renewal payment fails: an open invoice, the subscription past_due."""
        with self.lock:
            sub = self._get("subscription", subscription_id)
            previous = {"status": sub["status"]}
            invoice = self._invoice_for(sub, paid=False, reason="subscription_cycle")
            invoice["attempt_count"] = 1
            invoice["next_payment_attempt"] = self.now() + 3 * 86400
            sub.update(status="past_due", latest_invoice=invoice["id"])
            self._emit("invoice.payment_failed", invoice)
            self._emit("customer.subscription.updated", sub, previous)
            return invoice

    def payment_recover(self, subscription_id: str) -> dict:
        """The customer fixed the card: the open invoice is paid, the subscription active again."""
        with self.lock:
            sub = self._get("subscription", subscription_id)
            open_invoices = [
                i for i in self.objects["invoice"].values() if i["subscription"] == sub["id"] and i["status"] == "open"
            ]
            for invoice in open_invoices:
                self._invoice_pay(invoice)
                self._emit("invoice.paid", invoice)
            previous = {"status": sub["status"]}
            sub["status"] = "active"
            self._emit("customer.subscription.updated", sub, previous)
            return sub

    def checkout_complete(self, session_id: str) -> dict:
        """What the checkout page's Pay button does: a subscription, its paid first invoice, the events."""
        with self.lock:
            session = self._get("checkout.session", session_id)
            if session["status"] != "open":
                return session
            price = self._get("price", session["line_items"][0]["price"])
            sub = self._subscription_create(session["customer"], price, session.get("subscription_data", {}))
            invoice = self._invoice_for(sub, paid=True, reason="subscription_create")
            sub["latest_invoice"] = invoice["id"]
            session.update(status="complete", payment_status="paid", subscription=sub["id"], invoice=invoice["id"])
            self._emit("customer.subscription.created", sub)
            self._emit("invoice.paid", invoice)
            self._emit("checkout.session.completed", session)
            return session

    # -- dispatch -----------------------------------------------------------------------------------

    def dispatch(self, request: Request) -> Response:
        parts = [p for p in request.path.split("/") if p]
        if not parts or parts[0] != "v1":
            return self._browser(request, parts)
        if self.api_key and _api_key_of(request.headers.get("authorization", "")) != self.api_key:
            raise StripeError(401, "Invalid API Key provided.")
        key = request.headers.get("idempotency-key")
        if request.method == "POST" and key:
            with self.lock:
                if key in self.idempotent:
                    return self.idempotent[key]
        with self.lock:
            response = json_response(self._api(request, parts[1:]))
            if request.method == "POST" and key:
                self.idempotent[key] = response
            if request.method != "GET":
                self._save()
        return response

    def _api(self, request: Request, parts: list[str]) -> Any:
        method, form = request.method, request.form
        path = "/".join(parts)
        if path == "account":
            return self.account
        if path == "checkout/sessions" and method == "POST":
            return self._checkout_create(form)
        if path == "billing_portal/sessions" and method == "POST":
            customer = self._get("customer", form.get("customer", ""), param="customer")
            session = {
                "id": _id("bps"),
                "object": "billing_portal.session",
                "customer": customer["id"],
                "return_url": form.get("return_url"),
                "created": self.now(),
                "livemode": False,
            }
            session["url"] = f"{self.url}/portal/{session['id']}"
            self.objects.setdefault("billing_portal.session", {})[session["id"]] = session
            return session
        if path in ("invoices/create_preview", "invoices/upcoming"):
            return self._preview({**request.query, **form})
        if path in _RESOURCES and method == "GET":
            return self._list(_RESOURCES[path], request.query, f"/v1/{path}")
        if path in _RESOURCES and method == "POST":
            return self._create(_RESOURCES[path], form)
        if len(parts) == 3 and parts[0] == "invoices" and parts[2] == "lines":
            return self._get("invoice", parts[1])["lines"]
        if method == "GET" and len(parts) == 3 and parts[0] in _RESOURCES:
            self._get(_RESOURCES[parts[0]], parts[1])
            return self._empty(f"/v1/{path}")  # sub-lists we keep none of (product features, tax ids…)
        if method == "GET" and path in _EMPTY_LISTS:
            return self._empty(f"/v1/{path}")
        collection, _, rest = path.rpartition("/")
        if collection in _RESOURCES:
            kind = _RESOURCES[collection]
            obj = self._get(kind, rest)
            if method == "GET":
                return obj
            if method == "DELETE" and kind == "subscription":
                return self._subscription_end(obj)
            if method == "DELETE" and kind == "customer":
                return self._customer_delete(obj)
            if method == "POST":
                return self._update(kind, obj, form)
        raise StripeError(404, f"Unrecognized request URL ({method}: /v1/{path}).")

    @staticmethod
    def _empty(url: str) -> dict:
        return {"object": "list", "data": [], "has_more": False, "url": url}

    def _get(self, kind: str, object_id: str, *, param: str = "id") -> dict:
        obj = self.objects[kind].get(object_id)
        # A deleted customer is still read (a stub saying so), never used in another object.
        if obj is None or (obj.get("deleted") and (param != "id" or kind != "customer")):
            raise StripeError(
                404, f"No such {kind.split('.')[-1]}: '{object_id}'", code="resource_missing", param=param
            )
        return obj

    def _list(self, kind: str, query: dict, url: str) -> dict:
        rows = list(reversed(self.objects[kind].values()))  # newest first, in creation order
        for name in ("customer", "product", "subscription", "status", "type"):
            if name in query and not (name == "status" and query[name] == "all"):
                rows = [r for r in rows if r.get(name) == query[name]]
        if "active" in query:
            rows = [r for r in rows if r.get("active") == _truthy(query["active"])]
        if query.get("starting_after"):
            ids = [r["id"] for r in rows]
            rows = rows[ids.index(query["starting_after"]) + 1 :] if query["starting_after"] in ids else []
        limit = int(query.get("limit") or 10)
        return {"object": "list", "data": rows[:limit], "has_more": len(rows) > limit, "url": url}

    def _base(self, prefix: str, kind: str, form: dict) -> dict:
        return {
            "id": _id(prefix),
            "object": kind,
            "created": self.now(),
            "livemode": False,
            "metadata": dict(form.get("metadata") or {}),
        }

    def _create(self, kind: str, form: dict) -> dict:
        if kind == "product":
            obj = {
                **self._base("prod", kind, form),
                "name": form.get("name") or "",
                "active": True,
                "description": form.get("description"),
                "type": "service",
                "images": [],
                "url": None,
                "default_price": None,
                "updated": self.now(),
                "statement_descriptor": None,
                "unit_label": None,
                "marketing_features": [],
                "package_dimensions": None,
                "shippable": None,
                "tax_code": None,
            }
            if not obj["name"]:
                raise StripeError(400, "Missing required param: name.", code="parameter_missing", param="name")
        elif kind == "price":
            product = self._get("product", form.get("product", ""), param="product")
            recurring = form.get("recurring") or {}
            obj = {
                **self._base("price", kind, form),
                "active": True,
                "currency": form.get("currency", "usd"),
                "unit_amount": int(form.get("unit_amount", 0)),
                "unit_amount_decimal": str(form.get("unit_amount", 0)),
                "product": product["id"],
                "nickname": form.get("nickname"),
                "billing_scheme": "per_unit",
                "lookup_key": form.get("lookup_key"),
                "tax_behavior": "unspecified",
                "tiers_mode": None,
                "transform_quantity": None,
                "custom_unit_amount": None,
                "type": "recurring" if recurring else "one_time",
                "recurring": {
                    "interval": recurring.get("interval", "month"),
                    "interval_count": int(recurring.get("interval_count", 1)),
                    "usage_type": "licensed",
                    "aggregate_usage": None,
                    "meter": None,
                    "trial_period_days": None,
                }
                if recurring
                else None,
            }
        elif kind == "customer":
            obj = {
                **self._base("cus", kind, form),
                "email": form.get("email"),
                "name": form.get("name"),
                "description": form.get("description"),
                "balance": 0,
                "currency": None,
                "delinquent": False,
                "default_source": None,
                "invoice_prefix": secrets.token_hex(4).upper(),
                "phone": None,
                "address": None,
                "shipping": None,
                "discount": None,
                "preferred_locales": [],
                "tax_exempt": "none",
                "next_invoice_sequence": 1,
                "invoice_settings": {
                    "default_payment_method": None,
                    "custom_fields": None,
                    "footer": None,
                    "rendering_options": None,
                },
            }
        elif kind == "webhook_endpoint":
            obj = {
                **self._base("we", kind, form),
                "url": form.get("url"),
                "enabled_events": form.get("enabled_events") or ["*"],
                "status": "enabled",
                "api_version": form.get("api_version"),
                "application": None,
                "description": form.get("description"),
                "secret": "whsec_" + secrets.token_hex(24),
            }
        else:
            raise StripeError(404, f"Unrecognized request URL (POST: /v1/{kind}s).")
        self.objects[kind][obj["id"]] = obj
        return obj

    def _update(self, kind: str, obj: dict, form: dict) -> dict:
        if kind == "subscription":
            return self._subscription_update(obj, form)
        if "metadata" in form:
            obj["metadata"] = {k: v for k, v in {**obj["metadata"], **(form["metadata"] or {})}.items() if v != ""}
        for name in ("name", "email", "description", "nickname", "url", "enabled_events", "default_price"):
            if name in form:
                obj[name] = form[name]
        if "active" in form:
            obj["active"] = _truthy(form["active"])
        if "disabled" in form:
            obj["status"] = "disabled" if _truthy(form["disabled"]) else "enabled"
        return obj

    # -- checkout, subscriptions, invoices ----------------------------------------------------------

    def _checkout_create(self, form: dict) -> dict:
        if form.get("mode") != "subscription":
            raise StripeError(400, "The local Stripe supports mode=subscription only.", param="mode")
        items = form.get("line_items") or []
        if not items or not items[0].get("price"):
            raise StripeError(
                400, "Missing required param: line_items[0][price].", code="parameter_missing", param="line_items"
            )
        price = self._get("price", items[0]["price"], param="line_items[0][price]")
        if form.get("customer"):
            self._get("customer", form["customer"], param="customer")
        if not form.get("success_url"):
            raise StripeError(
                400, "Missing required param: success_url.", code="parameter_missing", param="success_url"
            )
        session = {
            **self._base("cs_test", "checkout.session", form),
            "mode": "subscription",
            "status": "open",
            "payment_status": "unpaid",
            "customer": form.get("customer"),
            "client_reference_id": form.get("client_reference_id"),
            "success_url": form["success_url"],
            "cancel_url": form.get("cancel_url"),
            "subscription": None,
            "invoice": None,
            "currency": price["currency"],
            "amount_total": price["unit_amount"],
            "amount_subtotal": price["unit_amount"],
            "expires_at": self.now() + 86400,
            "line_items": [{"price": price["id"], "quantity": int(items[0].get("quantity", 1))}],
            "subscription_data": form.get("subscription_data") or {},
            "payment_intent": None,
            "customer_email": form.get("customer_email"),
            "locale": form.get("locale"),
        }
        session["url"] = f"{self.url}/checkout/{session['id']}"
        self.objects["checkout.session"][session["id"]] = session
        return {k: v for k, v in session.items() if k not in ("line_items", "subscription_data")}

    def _price_obj(self, price_id: str) -> dict:
        return json.loads(json.dumps(self._get("price", price_id)))

    def _subscription_create(self, customer: str, price: dict, data: dict) -> dict:
        start = self.now()
        end = _add_month(start)
        sub = {
            **self._base("sub", "subscription", data),
            "customer": customer,
            "status": "active",
            "cancel_at_period_end": False,
            "cancel_at": None,
            "canceled_at": None,
            "ended_at": None,
            "start_date": start,
            "billing_cycle_anchor": start,
            "collection_method": "charge_automatically",
            "currency": price["currency"],
            "current_period_start": start,
            "current_period_end": end,
            "days_until_due": None,
            "default_payment_method": None,
            "default_source": None,
            "latest_invoice": None,
            "pending_setup_intent": None,
            "pending_update": None,
            "schedule": None,
            "trial_start": None,
            "trial_end": None,
            "discount": None,
            "discounts": [],
            "quantity": 1,
            "cancellation_details": {"comment": None, "feedback": None, "reason": None},
            "billing_cycle_anchor_config": None,
            "application_fee_percent": None,
            "description": None,
        }
        item = {
            "id": _id("si"),
            "object": "subscription_item",
            "created": start,
            "metadata": {},
            "quantity": 1,
            "price": self._price_obj(price["id"]),
            "subscription": sub["id"],
            "current_period_start": start,
            "current_period_end": end,
            "discounts": [],
            "tax_rates": [],
        }
        sub["items"] = {
            "object": "list",
            "data": [item],
            "has_more": False,
            "total_count": 1,
            "url": f"/v1/subscription_items?subscription={sub['id']}",
        }
        self.objects["subscription"][sub["id"]] = sub
        return sub

    def _invoice_for(self, sub: dict, *, paid: bool, reason: str, lines: list[dict] | None = None) -> dict:
        price = sub["items"]["data"][0]["price"]
        if lines is None:
            lines = [
                {
                    "amount": price["unit_amount"],
                    "description": f"1 × {self._product_name(price)}",
                    "proration": False,
                    "period": {"start": sub["current_period_start"], "end": sub["current_period_end"]},
                    "price": price["id"],
                }
            ]
        invoice = self._invoice_object(sub["customer"], sub["id"], lines, reason)
        self.objects["invoice"][invoice["id"]] = invoice
        if paid:
            self._invoice_pay(invoice)
        return invoice

    def _product_name(self, price: dict) -> str:
        product = self.objects["product"].get(price["product"])
        return product["name"] if product else price["id"]

    def _invoice_object(self, customer: str, subscription: str | None, lines: list[dict], reason: str) -> dict:
        invoice_id = _id("in")
        total = sum(line["amount"] for line in lines)
        cust = self.objects["customer"].get(customer, {})
        number = f"{cust.get('invoice_prefix', 'LOCAL')}-{cust.get('next_invoice_sequence', 1):04d}"
        if cust:
            cust["next_invoice_sequence"] += 1
        line_objects = [
            {
                "id": _id("il"),
                "object": "line_item",
                "amount": line["amount"],
                "currency": "usd",
                "description": line["description"],
                "livemode": False,
                "metadata": {},
                "period": line["period"],
                "quantity": 1,
                "invoice": invoice_id,
                "parent": {
                    "type": "subscription_item_details",
                    "subscription_item_details": {
                        "proration": line["proration"],
                        "subscription": subscription,
                        "invoice_item": None,
                        "subscription_item": None,
                        "proration_details": None,
                    },
                },
                "pricing": {
                    "type": "price_details",
                    "price_details": {"price": line["price"], "product": None},
                    "unit_amount_decimal": str(line["amount"]),
                },
                "discountable": True,
                "discounts": [],
                "discount_amounts": [],
                "taxes": [],
            }
            for line in lines
        ]
        period = lines[0]["period"] if lines else {"start": self.now(), "end": self.now()}
        return {
            "id": invoice_id,
            "object": "invoice",
            "created": self.now(),
            "livemode": False,
            "metadata": {},
            "customer": customer,
            "subscription": subscription,
            "status": "open",
            "paid": False,
            "parent": {
                "type": "subscription_details",
                "quote_details": None,
                "subscription_details": {"subscription": subscription, "metadata": {}},
            }
            if subscription
            else None,
            "currency": "usd",
            "number": number,
            "billing_reason": reason,
            "collection_method": "charge_automatically",
            "amount_due": total,
            "amount_paid": 0,
            "amount_remaining": total,
            "subtotal": total,
            "total": total,
            "subtotal_excluding_tax": total,
            "total_excluding_tax": total,
            "tax": None,
            "starting_balance": 0,
            "ending_balance": 0,
            "attempt_count": 0,
            "attempted": False,
            "auto_advance": True,
            "next_payment_attempt": None,
            "period_start": period["start"],
            "period_end": period["end"],
            "due_date": None,
            "effective_at": self.now(),
            "account_country": "US",
            "account_name": "Local Stripe",
            "customer_email": cust.get("email"),
            "customer_name": cust.get("name"),
            "description": None,
            "default_payment_method": None,
            "default_source": None,
            "discounts": [],
            "total_discount_amounts": [],
            "total_taxes": [],
            "payments": None,
            "receipt_number": None,
            "statement_descriptor": None,
            "webhooks_delivered_at": self.now(),
            "status_transitions": {
                "finalized_at": self.now(),
                "paid_at": None,
                "marked_uncollectible_at": None,
                "voided_at": None,
            },
            "hosted_invoice_url": f"{self.url}/invoices/{invoice_id}",
            "invoice_pdf": f"{self.url}/invoices/{invoice_id}.pdf",
            "lines": {
                "object": "list",
                "data": line_objects,
                "has_more": False,
                "total_count": len(line_objects),
                "url": f"/v1/invoices/{invoice_id}/lines",
            },
        }

    def _invoice_pay(self, invoice: dict) -> None:
        invoice.update(
            status="paid",
            paid=True,
            amount_paid=invoice["amount_due"],
            amount_remaining=0,
            attempted=True,
            next_payment_attempt=None,
        )
        invoice["attempt_count"] = max(invoice["attempt_count"], 1)
        invoice["status_transitions"]["paid_at"] = self.now()

    def _proration_lines(self, sub: dict, new_price: dict, at: int) -> list[dict]:
        item = sub["items"]["data"][0]
        old = item["price"]
        start, end = sub["current_period_start"], sub["current_period_end"]
        share = max(0.0, min(1.0, (end - at) / max(1, end - start)))
        period = {"start": at, "end": end}
        return [
            {
                "amount": -round(old["unit_amount"] * share),
                "description": f"Unused time on {self._product_name(old)}",
                "proration": True,
                "period": period,
                "price": old["id"],
            },
            {
                "amount": round(new_price["unit_amount"] * share),
                "description": f"Remaining time on {self._product_name(new_price)}",
                "proration": True,
                "period": period,
                "price": new_price["id"],
            },
        ]

    def _preview(self, params: dict) -> dict:
        sub = self._get("subscription", params.get("subscription", ""), param="subscription")
        details = params.get("subscription_details") or {}
        items = details.get("items") or params.get("subscription_items") or []
        if not items or not items[0].get("price"):
            raise StripeError(
                400,
                "Missing required param: subscription_details[items].",
                code="parameter_missing",
                param="subscription_details[items]",
            )
        price = self._get("price", items[0]["price"], param="subscription_details[items][0][price]")
        at = int(details.get("proration_date") or params.get("subscription_proration_date") or self.now())
        lines = self._proration_lines(sub, price, at)
        preview = self._invoice_object(sub["customer"], sub["id"], lines, "subscription_update")
        preview.update(id=None, status="draft", number=None, hosted_invoice_url=None, invoice_pdf=None)
        self.objects["customer"].get(sub["customer"], {}).update(
            next_invoice_sequence=self.objects["customer"][sub["customer"]]["next_invoice_sequence"] - 1
        )
        return preview

    def _subscription_update(self, sub: dict, form: dict) -> dict:
        if sub["status"] == "canceled":
            raise StripeError(400, "A canceled subscription can only update its cancellation_details and metadata.")
        previous: dict[str, Any] = {}
        if "cancel_at_period_end" in form:
            flag = _truthy(form["cancel_at_period_end"])
            previous["cancel_at_period_end"] = sub["cancel_at_period_end"]
            sub.update(
                cancel_at_period_end=flag,
                cancel_at=sub["current_period_end"] if flag else None,
                canceled_at=self.now() if flag else None,
            )
        items = form.get("items") or []
        if items and items[0].get("price"):
            item = sub["items"]["data"][0]
            if items[0].get("id") and items[0]["id"] != item["id"]:
                raise StripeError(
                    400, f"No such subscription item: '{items[0]['id']}'", code="resource_missing", param="items[0][id]"
                )
            price = self._get("price", items[0]["price"], param="items[0][price]")
            at = int(form.get("proration_date") or self.now())
            previous["items"] = json.loads(json.dumps(sub["items"]))
            lines = self._proration_lines(sub, price, at)
            item["price"] = self._price_obj(price["id"])
            if form.get("proration_behavior", "create_prorations") == "always_invoice":
                invoice = self._invoice_object(sub["customer"], sub["id"], lines, "subscription_update")
                self.objects["invoice"][invoice["id"]] = invoice
                if invoice["amount_due"] <= 0:
                    invoice["amount_due"] = invoice["amount_remaining"] = 0
                self._invoice_pay(invoice)
                sub["latest_invoice"] = invoice["id"]
                self._emit("invoice.paid", invoice)
        if "metadata" in form:
            sub["metadata"] = {**sub["metadata"], **(form["metadata"] or {})}
        self._emit("customer.subscription.updated", sub, previous)
        return sub

    def _customer_delete(self, customer: dict) -> dict:
        """As Stripe: the customer's subscriptions end at once, and the customer leaves a stub."""
        for sub in self.objects["subscription"].values():
            if sub["customer"] == customer["id"] and sub["status"] != "canceled":
                self._subscription_end(sub)
        stub = {"id": customer["id"], "object": "customer", "deleted": True}
        self.objects["customer"][customer["id"]] = stub
        self._emit("customer.deleted", {**customer, "deleted": True})
        return stub

    def _subscription_end(self, sub: dict) -> dict:
        sub.update(status="canceled", ended_at=self.now(), canceled_at=sub["canceled_at"] or self.now())
        self._emit("customer.subscription.deleted", sub)
        return sub

    def period_end(self, subscription_id: str) -> dict:
        """The period ran out: a subscription set to cancel ends (an event), any other one renews."""
        with self.lock:
            sub = self._get("subscription", subscription_id)
            if sub["cancel_at_period_end"]:
                return self._subscription_end(sub)
            sub["current_period_start"] = sub["current_period_end"]
            sub["current_period_end"] = _add_month(sub["current_period_start"])
            invoice = self._invoice_for(sub, paid=True, reason="subscription_cycle")
            sub["latest_invoice"] = invoice["id"]
            self._emit("invoice.paid", invoice)
            self._emit("customer.subscription.updated", sub)
            return sub

    # -- pages a browser opens ----------------------------------------------------------------------

    def _browser(self, request: Request, parts: list[str]) -> Response:
        if parts == ["favicon.ico"]:
            return Response(204, b"", "image/x-icon")
        if not parts:
            return html_response("<!doctype html><title>Local Stripe</title><h1>Local Stripe</h1>")
        response = self._page(request, parts)
        if request.method == "POST":
            self._save()
        return response

    def _page(self, request: Request, parts: list[str]) -> Response:
        if len(parts) >= 2 and parts[0] == "checkout":
            with self.lock:
                session = self.objects["checkout.session"].get(parts[1])
            if session is None:
                return html_response("<h1>This checkout session does not exist</h1>", 404)
            if request.method == "POST" and parts[2:] == ["pay"]:
                session = self.checkout_complete(session["id"])
                return redirect(session["success_url"].replace("{CHECKOUT_SESSION_ID}", session["id"]))
            return html_response(self._checkout_page(session))
        if len(parts) >= 2 and parts[0] == "portal":
            return self._portal(request, parts)
        if len(parts) == 2 and parts[0] == "invoices":
            invoice_id = parts[1].removesuffix(".pdf")
            with self.lock:
                invoice = self.objects["invoice"].get(invoice_id)
            if invoice is None:
                return html_response("<h1>No such invoice</h1>", 404)
            if parts[1].endswith(".pdf"):
                return Response(
                    200, _pdf(f"Invoice {invoice['number']}: {invoice['total'] / 100:.2f} USD"), "application/pdf"
                )
            return html_response(
                f"<!doctype html><title>Invoice {invoice['number']}</title><h1>Invoice {invoice['number']}</h1>"
                f"<p>{invoice['total'] / 100:.2f} {invoice['currency'].upper()} — {invoice['status']}</p>"
            )
        return html_response("<h1>Not found</h1>", 404)

    def _portal(self, request: Request, parts: list[str]) -> Response:
        """The customer portal: the card on file, and (the demo's way to try it) a failed renewal
        payment and paying the open invoice."""
        with self.lock:
            session = self.objects.get("billing_portal.session", {}).get(parts[1])
        if session is None:
            return html_response("<h1>This portal session does not exist</h1>", 404)
        subs = [
            s
            for s in self.objects["subscription"].values()
            if s["customer"] == session["customer"] and s["status"] in ("active", "past_due", "unpaid")
        ]
        if request.method == "POST" and subs and parts[2:] in (["fail"], ["recover"]):
            (self.payment_fail if parts[2] == "fail" else self.payment_recover)(subs[0]["id"])
            return redirect(f"/portal/{session['id']}")
        back = html.escape(session.get("return_url") or "")
        status = html.escape(subs[0]["status"]) if subs else "none"
        actions = "".join(
            f'<form method=post action="/portal/{session["id"]}/{action}"><button>{label}</button></form>'
            for action, label in (("fail", "Simulate a failed renewal payment"), ("recover", "Pay the open invoice"))
            if subs
        )
        return html_response(
            "<!doctype html><title>Billing portal</title><h1>Local Stripe customer portal</h1>"
            f"<p>Payment method: Visa •••• 4242</p><p>Subscription: {status}</p>{actions}"
            f'<a href="{back}">Return</a>'
        )

    def _checkout_page(self, session: dict) -> str:
        price = self.objects["price"][session["line_items"][0]["price"]]
        name = html.escape(self._product_name(price))
        amount = f"{price['unit_amount'] / 100:.2f} {price['currency'].upper()}"
        state = "" if session["status"] == "open" else "<p>This session is already complete.</p>"
        cancel = html.escape(session.get("cancel_url") or "")
        return (
            f"<!doctype html><html><head><meta charset=utf-8><title>Local Stripe Checkout</title></head><body>"
            f"<h1>Subscribe to {name}</h1><p data-testid=amount>{amount} per month</p>{state}"
            f'<form method=post action="/checkout/{session["id"]}/pay"><button type=submit>Pay</button></form>'
            f'<a href="{cancel}">Cancel</a></body></html>'
        )


def _pdf(text: str) -> bytes:
    """A one-page PDF with one line of text."""
    stream = f"BT /F1 14 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out

"""Run the local Kommo for the offline demo:

    python -m integrations.kommo.fakes --port 8765 --client-id demo --client-secret s3cret \\
        --redirect-uri http://127.0.0.1:8000/api/integrations/kommo/callback [--revoke-hook-url …] \\
        [--account-port 8766] [--salesbot-url http://127.0.0.1:8000/…/salesbot] [--webhook URL] \\
        [--channel-id … --channel-secret … --channel-webhook-url …]

It starts the hub on the fixed port with one demo account and that integration installed, prints the
account's base_domain and the environment lines that point the platform at it, and runs until
SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from integrations.kommo.fakes.fake import FakeKommo
from integrations.kommo.fakes.webhooks import DOCUMENTED_RETRY_DELAYS, SETTINGS

DEFAULT_HOOK_SETTINGS = [
    "add_lead",
    "update_lead",
    "status_lead",
    "add_contact",
    "add_talk",
    "update_talk",
    "add_message",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m integrations.kommo.fakes", description="Run the local Kommo.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="the hub: OAuth consent, Chats API, UI")
    parser.add_argument("--account-port", type=int, default=0, help="the demo account's listener (0: any free port)")
    parser.add_argument("--subdomain", default="demo")
    parser.add_argument("--account-name", default="Demo Store")
    parser.add_argument("--client-id", required=True)
    # Also from $KOMMO_CLIENT_SECRET, so that it appears in no command line (`ps`) and no log.
    parser.add_argument("--client-secret", default=os.environ.get("KOMMO_CLIENT_SECRET") or None)
    parser.add_argument("--redirect-uri", required=True)
    parser.add_argument("--revoke-hook-url", default=None)
    parser.add_argument("--rate-limit", type=int, default=7, help="requests per second per account (0: none)")
    parser.add_argument("--webhook", action="append", default=[], help="a destination to register (repeatable)")
    parser.add_argument("--salesbot-url", default=None, help="widget_request URL of an 'AI replies' bot")
    parser.add_argument("--channel-id", default=None)
    parser.add_argument(
        "--channel-secret",
        default=os.environ.get("KOMMO_CHATS_CHANNEL_SECRET") or None,
        help="default: $KOMMO_CHATS_CHANNEL_SECRET",
    )
    parser.add_argument("--channel-code", default="ai.agent.platform")
    parser.add_argument("--channel-webhook-url", default=None)
    args = parser.parse_args(argv)
    if not args.client_secret:
        parser.error("--client-secret (or $KOMMO_CLIENT_SECRET) is required")
    secret_given = "--client-secret" in (sys.argv if argv is None else argv)

    kommo = FakeKommo(
        rate_limit_rps=args.rate_limit or None,
        host=args.host,
        port=args.port,
        webhook_retry_delays=DOCUMENTED_RETRY_DELAYS,
    ).start()
    account = kommo.add_account(subdomain=args.subdomain, name=args.account_name, port=args.account_port)
    kommo.add_integration(
        account,
        client_id=args.client_id,
        client_secret=args.client_secret,
        redirect_uri=args.redirect_uri,
        revoke_hook_url=args.revoke_hook_url,
    )
    for destination in args.webhook:
        kommo.add_webhook(account, destination, [s for s in DEFAULT_HOOK_SETTINGS if s in SETTINGS])
    bot_id = None
    if args.salesbot_url:
        bot_id = kommo.add_salesbot(
            account,
            name="AI replies",
            widget_request_url=args.salesbot_url,
            data={
                "lead_id": "{{lead.id}}",
                "contact_id": "{{contact.id}}",
                "chat_id": "{{chat.id}}",
                "talk_id": "{{talk.id}}",
            },
            client_id=args.client_id,
        )
    if args.channel_id and args.channel_secret and args.channel_webhook_url:
        kommo.add_chat_channel(
            args.channel_id,
            args.channel_secret,
            args.channel_webhook_url,
            code=args.channel_code,
            client_id=args.client_id,
        )

    lines = [
        f"Local Kommo hub: {kommo.url}/   (UI; OAuth consent at {kommo.oauth_url})",
        f"Account {account.subdomain!r} id={account.id} amojo_id={account.amojo_id}",
        f"base_domain (the OAuth referer): {account.base_domain}",
        "",
        "# Point the platform at it:",
        f"KOMMO_CLIENT_ID={args.client_id}",
        f"KOMMO_CLIENT_SECRET={args.client_secret if secret_given else '(as in your environment)'}",
        f"KOMMO_REDIRECT_URI={args.redirect_uri}",
        f"KOMMO_OAUTH_URL={kommo.oauth_url}",
        f"KOMMO_AMOJO_URL={kommo.url}",
        f"KOMMO_ACCOUNT_DOMAINS={args.host}",
        f"KOMMO_INSECURE_HOSTS={args.host}",
    ]
    if bot_id is not None:
        lines.append(f"# Salesbot 'AI replies' bot_id={bot_id}")
    if args.channel_id:
        lines += [
            f"KOMMO_CHATS_CHANNEL_ID={args.channel_id}",
            "KOMMO_CHATS_CHANNEL_SECRET=(as in your environment)",
            f"KOMMO_CHATS_CHANNEL_CODE={args.channel_code}",
        ]
    print("\n".join(lines), flush=True)

    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    kommo.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

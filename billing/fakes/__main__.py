"""Run the local Stripe for the offline demo:

    python -m billing.fakes --port 8767 [--state-file .data/local_stripe.json]

The API key it accepts comes from $STRIPE_SECRET_KEY (never the command line); events are posted to the
webhook endpoints the platform registers through the API (`manage.py billing_stripe_setup`).
Runs until SIGINT/SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading

from billing.fakes.fake import FakeStripe


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m billing.fakes", description="Run the local Stripe.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8767)
    parser.add_argument("--state-file", default=None, help="keep the objects across restarts (JSON)")
    args = parser.parse_args(argv)
    stripe = FakeStripe(
        api_key=os.environ.get("STRIPE_SECRET_KEY", ""),
        host=args.host,
        port=args.port,
        auto_deliver=True,
        state_file=args.state_file,
    ).start()
    print(f"Local Stripe: STRIPE_API_BASE={stripe.url}", flush=True)
    stopped = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stopped.set())
    stopped.wait()
    stripe.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())

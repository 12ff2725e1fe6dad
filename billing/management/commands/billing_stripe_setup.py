"""Sync the paid plans to Stripe (products and monthly prices; idempotent) and, with --webhook-url,
register this platform's webhook endpoint with Stripe (dj-stripe stores its signing secret).

    python manage.py billing_stripe_setup [--webhook-url https://app.example.com]
"""

from django.core.management.base import BaseCommand, CommandError

from agent_platform.errors import DomainError
from billing.services import plans_sync_to_stripe, webhook_endpoint_register


class Command(BaseCommand):
    help = "Sync plans to Stripe products/prices and register the webhook endpoint."

    def add_arguments(self, parser):
        parser.add_argument("--webhook-url", default="", help="The platform's public base URL")

    def handle(self, *args, **options):
        try:
            for code, changed in plans_sync_to_stripe().items():
                what = ", ".join(name for name, flag in changed.items() if flag) or "unchanged"
                self.stdout.write(f"plan {code}: {what}")
            if options["webhook_url"]:
                endpoint = webhook_endpoint_register(url=options["webhook_url"])
                self.stdout.write(f"webhook endpoint: {endpoint.url}")
        except DomainError as exc:
            raise CommandError(exc.detail) from exc

"""A connected Kommo integration as a plain row (no Kommo behind it): for the entry points, which
must refuse or accept requests before any call to Kommo."""

from __future__ import annotations

import secrets

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from agent_platform.crypto import secret_digest
from agent_platform.tenancy import workspace_scope
from integrations.kommo.models import KommoIntegration
from tests.accounts.factories import WorkspaceFactory


class KommoIntegrationFactory(DjangoModelFactory):
    class Meta:
        model = KommoIntegration

    workspace = factory.SubFactory(WorkspaceFactory)
    status = KommoIntegration.Status.CONNECTED
    base_domain = "acme.kommo.com"
    account_id = factory.Sequence(lambda n: 900000 + n)
    account_subdomain = "acme"
    client_id = "test-kommo-client"
    client_secret = "private-integration-secret-0123456789"
    access_token = "access-token"
    refresh_token = "refresh-token"
    webhook_secret = factory.LazyFunction(lambda: secrets.token_urlsafe(32))
    webhook_secret_digest = factory.LazyAttribute(lambda row: secret_digest(row.webhook_secret))
    connected_at = factory.LazyFunction(timezone.now)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        with workspace_scope(kwargs["workspace"].pk):
            return super()._create(model_class, *args, **kwargs)

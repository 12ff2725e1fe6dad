"""Which key and base URL a call uses: the workspace's own credential for the provider, else the
platform's (environment), else none (the service then falls back to the offline provider)."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from agent_platform.tenancy import workspace_scope
from integrations.models import AICredential, AIProvider


@dataclass(frozen=True)
class ResolvedCredential:
    provider: str
    api_key: str
    base_url: str
    source: str  # "workspace" | "platform" | "none"
    credential_id: int | None = None

    def __repr__(self) -> str:  # never print the key
        return f"ResolvedCredential(provider={self.provider!r}, source={self.source!r}, base_url={self.base_url!r})"


def platform_credential(provider: str) -> ResolvedCredential | None:
    keys = {
        AIProvider.OPENAI: (settings.OPENAI_API_KEY, settings.OPENAI_BASE_URL),
        AIProvider.GEMINI: (settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL),
        AIProvider.ANTHROPIC: (settings.ANTHROPIC_API_KEY, settings.ANTHROPIC_BASE_URL),
    }
    api_key, base_url = keys.get(provider, ("", ""))
    if not api_key:
        return None
    return ResolvedCredential(provider=provider, api_key=api_key, base_url=base_url, source="platform")


def credential_sources(*, workspace_id: int) -> dict[str, str]:
    """Where each provider's key comes from for this workspace, as `credential_resolve` picks it:
    "workspace" or "platform"; a provider that is absent has none."""
    with workspace_scope(workspace_id):
        own = set(AICredential.objects.values_list("provider", flat=True))
    remote = (AIProvider.OPENAI, AIProvider.GEMINI, AIProvider.ANTHROPIC)
    sources = {provider: "platform" for provider in remote if platform_credential(provider)}
    sources.update(dict.fromkeys(own, "workspace"))
    return sources


def credential_resolve(*, workspace, provider: str, credential_id: int | None = None) -> ResolvedCredential | None:
    if provider == AIProvider.OFFLINE:
        return ResolvedCredential(provider=provider, api_key="", base_url="", source="none")
    with workspace_scope(workspace.pk):
        own = AICredential.objects.filter(provider=provider)
        if credential_id is not None:
            own = own.filter(pk=credential_id)
        credential = own.order_by("-updated_at").first()
    if credential is not None:
        return ResolvedCredential(
            provider=provider,
            api_key=credential.api_key,
            base_url=credential.base_url,
            source="workspace",
            credential_id=credential.pk,
        )
    if credential_id is not None:
        return None
    return platform_credential(provider)

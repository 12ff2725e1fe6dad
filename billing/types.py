"""Plain values other apps pass to billing's services (the usage ledger's purposes and outcomes)."""

from dataclasses import dataclass, field
from typing import Any

from django.db import models


class UsagePurpose(models.TextChoices):
    REPLY = "reply", "Reply"
    TRIGGER = "trigger", "Trigger condition"
    EXTRACTION = "extraction", "Field extraction"
    EMBEDDING = "embedding", "Embedding"
    TEST = "test", "Connection test"


class UsageStatus(models.TextChoices):
    OK = "ok", "OK"
    FAILED = "failed", "Failed"


class QuotaMetric(models.TextChoices):
    """The plan limits, named like the Plan's fields. AI replies are metered per month (a counter);
    the others are counts of what exists now."""

    AI_REPLIES = "ai_replies_per_month", "AI replies per month"
    AGENTS = "agents", "Agents"
    SEATS = "seats", "Seats"
    KB_STORAGE_MB = "kb_storage_mb", "Knowledge base storage (MB)"
    CHANNELS = "channels", "Channels / integrations"


class AttentionSeverity(models.TextChoices):
    CRITICAL = "critical", "Critical"
    WARNING = "warning", "Warning"
    INFO = "info", "Info"


@dataclass(frozen=True)
class AttentionItem:
    """One line of the dashboard's "needs attention" list: what (a stable `kind` the SPA names), how
    many, how bad, and the SPA page that fixes it (`link`, filtered where that page can be)."""

    kind: str
    count: int
    severity: str
    link: str
    extra: dict[str, Any] = field(default_factory=dict)

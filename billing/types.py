"""Plain values other apps pass to billing's services (the usage ledger's purposes and outcomes)."""

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

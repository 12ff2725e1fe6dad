"""The automations engine at the message processor's hook points (conversations.types): each hook
hands the conversation to the engines that act on it."""

from __future__ import annotations

from conversations.types import AutomationHooks


class AutomationEngine(AutomationHooks):
    """Installed from `AutomationsConfig.ready()`. A hook an engine does not override keeps the base's
    answer ("not installed" in the reply's trace)."""

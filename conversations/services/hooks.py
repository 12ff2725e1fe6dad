"""The automations engine installed at the processor's hook points (see conversations.types)."""

from __future__ import annotations

from conversations.types import AutomationHooks

_installed: AutomationHooks = AutomationHooks()


def automation_hooks_install(hooks: AutomationHooks) -> None:
    """Install the automations engine (called once from the automations app's `ready()`)."""
    global _installed
    _installed = hooks


def automation_hooks() -> AutomationHooks:
    return _installed

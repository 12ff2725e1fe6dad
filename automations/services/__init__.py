"""Writes of the automations app, one module per engine; the API, the tasks and the engine installed
at the processor's hook points (`engine`) import from here.

    engine        the conversations app's hook points (conversations.types.AutomationHooks) → the engines
"""

from automations.services.engine import AutomationEngine

__all__ = ["AutomationEngine"]

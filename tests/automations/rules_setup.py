"""A workspace connected to the local Kommo with its fields synced, an agent on the offline model with
update rules, and the customer's messages going through the real processor (the update rules run at
its `ai_turn` hook)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.test import TestCase

from agent_platform.tenancy import workspace_scope
from agents.services import agent_config_replace, update_rule_create
from conversations import services as conversations
from conversations.models import Message
from integrations.kommo.models import KommoField
from integrations.kommo.services import sync_run
from integrations.kommo.services.tokens import client_for
from tests.agents.factories import AgentFactory


def unix(day: str) -> int:
    return int(datetime.fromisoformat(day).replace(tzinfo=UTC).timestamp())


@dataclass
class Setup:
    kommo: Any
    account: Any
    integration: Any
    workspace: Any
    owner: Any
    agent: Any
    fields: dict[str, KommoField]
    event: dict[str, Any]
    turn: int = 0

    @property
    def lead_id(self) -> int:
        return int(self.event["lead_id"])

    def rule(self, name: str, field: str, *, overwrite: str = "always", writable: bool = True, **extra):
        """An update rule on a synced lead field, and the agent's CRM access to it."""
        definition = self.fields[field]
        # The agent's cached configuration is dropped on commit: run those callbacks here.
        with workspace_scope(self.workspace.pk), TestCase.captureOnCommitCallbacks(execute=True):
            rule = update_rule_create(
                agent=self.agent,
                actor=self.owner,
                data={
                    "name": name,
                    "instruction": extra.get("instruction", f"The customer's {name.lower()}"),
                    "entity": "lead",
                    "field_id": definition.kommo_id,
                    "field_type": definition.type,
                    "enum_options": definition.enums,
                    "overwrite": overwrite,
                },
            )
            access = [f for f in self._access() if f["field_id"] != definition.kommo_id]
            access.append(
                {"entity": "lead", "field_id": definition.kommo_id, "field_name": field, "can_write": writable}
            )
            agent_config_replace(agent=self.agent, actor=self.owner, section="crm_fields", items=access)
        return rule

    def _access(self) -> list[dict[str, Any]]:
        from agents.models import AgentCrmField

        return list(
            AgentCrmField.objects.filter(agent=self.agent).values("entity", "field_id", "field_name", "can_write")
        )

    def set_lead_field(self, field: str, values: list | None) -> None:
        with workspace_scope(self.workspace.pk):
            client_for(self.integration).lead_update(
                self.lead_id,
                {"custom_fields_values": [{"field_id": self.fields[field].kommo_id, "values": values}]},
            )

    def lead_values(self, field: str) -> list | None:
        """The field's values as the local Kommo holds them (read from its state, not through us)."""
        with self.kommo.lock:
            lead = self.account.leads[self.lead_id]
            found = [f for f in lead.get("custom_fields_values") or [] if f["field_id"] == self.fields[field].kommo_id]
        return found[0]["values"] if found else None

    def customer_says(self, text: str) -> Message:
        """A customer's message through ingest and the processor; the AI reply it got."""
        self.turn += 1
        with workspace_scope(self.workspace.pk):
            message, _ = conversations.ingest_message(
                workspace=self.workspace,
                channel="whatsapp",
                external_chat_id=self.event["chat_id"],
                external_message_id=f"m-rules-{self.turn}",
                text=text,
                lead_id=str(self.event["lead_id"]),
            )
            reply = conversations.conversation_process(conversation_id=message.conversation_id)
            return Message.objects.get(pk=reply.pk)

    def lead_patches(self) -> int:
        return sum(1 for r in self.kommo.requests if r.method == "PATCH" and r.path.startswith("/api/v4/leads"))


def rules_setup(kommo, account, connected, workspace, owner) -> Setup:
    with workspace_scope(workspace.pk):
        sync_run(integration_id=connected.pk)
        fields = {f.name: f for f in KommoField.objects.filter(entity="leads")}
    agent = AgentFactory(workspace=workspace, actor=owner, answering=True, channels=["whatsapp"])
    event = kommo.customer_writes(account, origin="whatsapp", text="Hi", name="Ana", phone="+5511900000000")
    return Setup(kommo, account, connected, workspace, owner, agent, fields, event)


def trace_step(reply: Message) -> dict[str, Any]:
    return next(step for step in reply.trace if step["step"] == "update_rules")

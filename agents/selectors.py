from __future__ import annotations

from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet

from agent_platform.tenancy import active_workspace_id
from agents.exceptions import AgentNotFound, AgentVersionNotFound
from agents.models import AGENT_CHANNELS, Agent, AgentChannel, AgentCrmField, AgentPipeline, AgentVersion, UpdateRule
from agents.working_hours import is_open, next_open, working_hours_errors
from integrations.channels import Channel
from integrations.kommo import selectors as kommo

AGENT_FIELDS = [
    "name",
    "description",
    "is_active",
    "instructions",
    "language",
    "model_provider",
    "model_id",
    "fallback_model_provider",
    "fallback_model_id",
    "temperature",
    "max_tokens",
    "response_delay_seconds",
    "response_delay_jitter_seconds",
    "approval_required",
    "approval_timeout_minutes",
    "approval_timeout_action",
    "working_hours",
    "outside_hours_action",
    "handoff_keywords",
    "human_reply_pause_minutes",
    "max_ai_replies_per_conversation",
    "fallback_message",
]
RULE_FIELDS = [
    "name",
    "instruction",
    "entity",
    "field_id",
    "field_code",
    "field_type",
    "enum_options",
    "overwrite",
    "is_active",
    "order",
]
CRM_FIELDS = ["entity", "field_id", "field_code", "field_name", "field_type", "can_read", "can_write"]
CONFIG_CACHE_KEY = "agents:config:{workspace}:{agent}"
ROUTING_CACHE_KEY = "agents:routing:{workspace}"
CONFIG_CACHE_SECONDS = 600


def agent_list() -> QuerySet[Agent]:
    """Agents of the active workspace with what the list shows, in a constant number of queries."""
    return Agent.objects.prefetch_related(
        Prefetch("channels", queryset=AgentChannel.all_workspaces.order_by("channel")),
    ).order_by("name", "id")


def agent_snapshot(agent: Agent) -> dict[str, Any]:
    """The agent's whole configuration as plain data: what a version stores and a restore brings back."""
    return {
        "agent": {field: getattr(agent, field) for field in AGENT_FIELDS},
        "pipelines": [
            {"pipeline_id": p.pipeline_id, "stage_ids": list(p.stage_ids)}
            for p in AgentPipeline.all_workspaces.filter(agent=agent).order_by("pipeline_id")
        ],
        "channels": list(
            AgentChannel.all_workspaces.filter(agent=agent).order_by("channel").values_list("channel", flat=True)
        ),
        "knowledge_categories": list(
            agent.knowledge_scope.order_by("category_id").values_list("category_id", flat=True)
        ),
        "crm_fields": list(
            AgentCrmField.all_workspaces.filter(agent=agent)
            .order_by("entity", "field_id", "field_code")
            .values(*CRM_FIELDS)
        ),
        "update_rules": list(
            UpdateRule.all_workspaces.filter(agent=agent).order_by("order", "id").values(*RULE_FIELDS)
        ),
    }


def agent_config_get(*, agent_id: int) -> dict[str, Any]:
    """The configuration the message processor reads on every message, cached in Redis and dropped
    on every change (agents.services). Raises AgentNotFound."""
    key = CONFIG_CACHE_KEY.format(workspace=active_workspace_id(), agent=agent_id)
    config = cache.get(key)
    if config is None:
        agent = Agent.objects.filter(pk=agent_id).first()
        if agent is None:
            raise AgentNotFound(f"Agent {agent_id} does not exist in this workspace.")
        config = dict(agent_snapshot(agent), id=agent.pk, workspace_id=agent.workspace_id, version=agent.version)
        cache.set(key, config, CONFIG_CACHE_SECONDS)
    return config


def agent_cached(*, agent_id: int) -> Agent:
    """The agent as of its cached configuration, without a query on a warm cache. For reading only:
    writes go through agents.services with an agent loaded from the database."""
    config = agent_config_get(agent_id=agent_id)
    agent = Agent(id=config["id"], workspace_id=config["workspace_id"], version=config["version"], **config["agent"])
    agent._state.adding, agent._state.db = False, "default"
    agent.cached_config = config  # the rest of the configuration (channels, knowledge, CRM fields, rules)
    return agent


def agent_routing() -> list[dict[str, Any]]:
    """The active workspace's active agents with the channels and pipeline stages they answer, in id
    order: what choosing an agent for a customer message reads. Cached and dropped on every change."""
    key = ROUTING_CACHE_KEY.format(workspace=active_workspace_id())
    routing = cache.get(key)
    if routing is None:
        agents = (
            Agent.objects.filter(is_active=True)
            .prefetch_related(
                Prefetch("channels", queryset=AgentChannel.all_workspaces.order_by("channel")),
                Prefetch("pipelines", queryset=AgentPipeline.all_workspaces.order_by("pipeline_id")),
            )
            .order_by("id")
        )
        routing = [
            {
                "id": agent.pk,
                "channels": [row.channel for row in agent.channels.all()],
                "pipelines": [(row.pipeline_id, list(row.stage_ids)) for row in agent.pipelines.all()],
            }
            for agent in agents
        ]
        cache.set(key, routing, CONFIG_CACHE_SECONDS)
    return routing


def agent_named(name: str) -> Agent | None:
    return Agent.objects.filter(name=name).first()


def agent_route(
    *, channel: str, pipeline_id: int | None, stage_id: int | None, assigned_agent_id: int | None
) -> tuple[Agent | None, str]:
    """The agent that answers a conversation on `channel` in this pipeline stage, and why (read
    from the cached routing table). A playground conversation keeps the agent it was opened with."""
    if channel == Channel.PLAYGROUND and assigned_agent_id:
        return agent_cached(agent_id=assigned_agent_id), "the playground conversation's agent"
    for route in agent_routing():
        if channel not in route["channels"]:
            continue
        if not route["pipelines"]:
            reason = f"active on {channel}, every pipeline"
        elif pipeline_id is None:
            continue
        else:
            match = next((stages for pipeline, stages in route["pipelines"] if pipeline == pipeline_id), None)
            if match is None or (match and stage_id not in match):
                continue
            reason = f"active on {channel}, pipeline {pipeline_id} stage {stage_id}"
        if assigned_agent_id == route["id"]:
            reason += " (already assigned)"
        return agent_cached(agent_id=route["id"]), reason
    return None, f"no active agent answers {channel} in this pipeline stage"


def channel_status() -> list[dict[str, Any]]:
    """For every channel an agent can be switched on for, whether customers can reach an agent on it
    in the active workspace: the API channel is the platform's own, every other one arrives through
    Kommo. `problem` is a stable code the SPA words ("" when ready)."""
    problem = kommo.messenger_problem(kommo.integration_get())
    return [
        {"channel": value, "via": "platform", "ready": True, "problem": ""}
        if value == Channel.API
        else {"channel": value, "via": "kommo", "ready": not problem, "problem": problem}
        for value, _ in AGENT_CHANNELS
    ]


def agent_open_at(*, agent: Agent, time_zone: str, at: datetime) -> bool:
    """Whether `at` falls within the agent's working hours, read in the workspace's time zone."""
    return is_open(agent.working_hours, time_zone, at)


def working_hours_next_open(
    *, schedule: dict, time_zone: str, at: datetime, holidays: list[str] | tuple[str, ...] = ()
) -> datetime | None:
    """When a schedule (the agents' and chains' working-hours format) next lets a message go: `at`
    when open, else the next window's start, skipping holidays; None when it never opens."""
    return next_open(schedule, time_zone, at, holidays)


def working_hours_problems(*, schedule: object) -> list[str]:
    """What is wrong with a working-hours schedule (the agents' and chains' format); empty when valid."""
    return working_hours_errors(schedule)


def agent_versions(*, agent: Agent) -> QuerySet[AgentVersion]:
    return AgentVersion.objects.filter(agent=agent).select_related("created_by").order_by("-number")


def agent_version_get(*, agent: Agent, number: object) -> AgentVersion:
    """One version of the agent by its number; raises AgentVersionNotFound."""
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise AgentVersionNotFound(f"{number!r} is not a version number.") from None
    version = agent_versions(agent=agent).filter(number=number).first()
    if version is None:
        raise AgentVersionNotFound(f"This agent has no version {number}.")
    return version


def update_rule_list(*, agent_id: int | None) -> QuerySet[UpdateRule]:
    return UpdateRule.objects.filter(agent_id=agent_id).select_related("agent")


def snapshot_diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """What changed between two snapshots: agent fields as {field: {"from", "to"}}, configuration
    tables as {table: {"added": [...], "removed": [...]}}."""
    diff: dict[str, dict[str, Any]] = {}
    for field in sorted(set(before.get("agent", {})) | set(after.get("agent", {}))):
        old, new = before.get("agent", {}).get(field), after.get("agent", {}).get(field)
        if old != new:
            diff[field] = {"from": old, "to": new}
    for table in ("pipelines", "channels", "knowledge_categories", "crm_fields", "update_rules"):
        old_rows, new_rows = before.get(table, []), after.get(table, [])
        added = [row for row in new_rows if row not in old_rows]
        removed = [row for row in old_rows if row not in new_rows]
        if added or removed:
            diff[table] = {"added": added, "removed": removed}
    return diff


def agent_count(*, workspace) -> int:
    """The workspace's agents (what the plan's agent limit counts)."""
    return Agent.objects.filter(workspace=workspace).count()

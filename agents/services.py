"""Writes to agents and their configuration. Every saved change stores a version snapshot, goes to
the audit log, drops the cached configuration and is published to the workspace's websocket."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils.text import Truncator

from accounts.models import User, Workspace
from accounts.services import audit_record
from agent_platform import realtime
from agents.exceptions import AgentEditConflict, AgentNameTaken, AgentVersionNotFound, UnknownAgentModel
from agents.models import (
    AGENT_CHANNELS,
    Agent,
    AgentChannel,
    AgentCrmField,
    AgentKnowledgeCategory,
    AgentPipeline,
    AgentVersion,
    UpdateRule,
)
from agents.selectors import (
    AGENT_FIELDS,
    CONFIG_CACHE_KEY,
    CRM_FIELDS,
    ROUTING_CACHE_KEY,
    RULE_FIELDS,
    agent_snapshot,
)
from billing.services import plan_usage_changed, quota_check
from billing.types import QuotaMetric
from integrations.ai.exceptions import UnknownModel
from integrations.ai.selectors import model_get
from knowledge.selectors import category_ids_existing


def _validate_models(values: dict[str, Any]) -> None:
    pairs = [("model_provider", "model_id")]
    if values.get("fallback_model_provider") or values.get("fallback_model_id"):
        pairs.append(("fallback_model_provider", "fallback_model_id"))
    for provider_field, model_field in pairs:
        if values.get(provider_field) == "openai_compatible" and values.get(model_field):
            continue  # a self-hosted endpoint serves whatever models it has; the registry cannot know them
        try:
            model = model_get(provider=values.get(provider_field, ""), model_id=values.get(model_field, ""))
        except UnknownModel:
            raise UnknownAgentModel(
                f"{values.get(provider_field)}/{values.get(model_field)} is not in the model registry.",
                errors={model_field: ["Unknown model for this provider; see GET /api/ai/models?kind=chat."]},
            ) from None
        if model.kind != "chat":
            raise UnknownAgentModel(
                f"{model} is an embedding model: it cannot write replies.",
                errors={model_field: ["Not a chat model; see GET /api/ai/models?kind=chat."]},
            )


def _changed(
    agent: Agent,
    actor: User | None,
    action: str,
    *,
    reason: str,
    before: dict | None = None,
    event: str = "agent.updated",
) -> Agent:
    """The bookkeeping every change shares: version, audit, cache, realtime."""
    agent.version = (
        AgentVersion.objects.filter(agent=agent).order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    Agent.objects.filter(pk=agent.pk).update(version=agent.version)
    after = agent_snapshot(agent)
    AgentVersion.objects.create(
        workspace_id=agent.workspace_id,
        agent=agent,
        number=agent.version,
        snapshot=after,
        reason=Truncator(reason).chars(AgentVersion._meta.get_field("reason").max_length),  # names may be long
        created_by=actor if actor and actor.is_authenticated else None,
    )
    audit_record(
        action=action,
        actor=actor,
        workspace=agent.workspace,
        target=agent,
        before=_flat(before),
        after=_flat(after),
        metadata={"version": agent.version, "reason": reason},
    )
    _drop_cached(agent.workspace_id, agent.pk)
    realtime.publish(
        agent.workspace_id, event, {"id": agent.pk, "is_active": agent.is_active, "version": agent.version}
    )
    return agent


def _drop_cached(workspace_id: int, agent_id: int) -> None:
    """After commit: the agent's cached configuration and its workspace's routing are stale."""
    keys = [
        CONFIG_CACHE_KEY.format(workspace=workspace_id, agent=agent_id),
        ROUTING_CACHE_KEY.format(workspace=workspace_id),
    ]
    transaction.on_commit(lambda: cache.delete_many(keys))


def _flat(snapshot: dict | None) -> dict | None:
    if snapshot is None:
        return None
    flat = dict(snapshot.get("agent", {}))
    for key in ("pipelines", "channels", "knowledge_categories", "crm_fields", "update_rules"):
        flat[key] = snapshot.get(key)
    return flat


def _save_agent(agent: Agent) -> None:
    try:
        with transaction.atomic():
            agent.save()
    except IntegrityError:
        raise AgentNameTaken(
            f"An agent named {agent.name!r} already exists in this workspace.",
            errors={"name": ["An agent with this name already exists."]},
        ) from None


@transaction.atomic
def agent_create(*, workspace: Workspace, actor: User | None, data: dict[str, Any]) -> Agent:
    values = {field: data[field] for field in AGENT_FIELDS if field in data}
    quota_check(workspace=workspace, metric=QuotaMetric.AGENTS, current=Agent.objects.count())
    agent = Agent(workspace=workspace, **values)
    _validate_models({f: getattr(agent, f) for f in AGENT_FIELDS})
    _save_agent(agent)
    return _changed(agent, actor, "agent.created", reason="created", event="agent.created")


@transaction.atomic
def agent_update(
    *,
    agent: Agent,
    actor: User | None,
    data: dict[str, Any],
    sections: dict[str, list] | None = None,
    base_version: int | None = None,
) -> Agent:
    """Change the agent's fields and replace any configuration tables given in `sections` (keyed like
    `agent_config_replace`'s), all or nothing, as one version: the editor's one Save. With the
    `base_version` the edit started from, a save that would overwrite what a newer version changed
    is refused (AgentEditConflict); changes to other fields merge."""
    if base_version is not None:
        _refuse_overwrite(agent, base_version, touched={*data, *(sections or {})})
    before = agent_snapshot(agent)
    for field in AGENT_FIELDS:
        if field in data:
            setattr(agent, field, data[field])
    _validate_models({f: getattr(agent, f) for f in AGENT_FIELDS})
    _save_agent(agent)
    for section, items in (sections or {}).items():
        _REPLACERS[section](agent, items)
    event = "agent.toggled" if before["agent"]["is_active"] != agent.is_active else "agent.updated"
    return _changed(agent, actor, "agent.updated", reason="updated", before=before, event=event)


def _refuse_overwrite(agent: Agent, base_version: int, touched: set[str]) -> None:
    current = Agent.objects.select_for_update().filter(pk=agent.pk).values_list("version", flat=True).first()
    if current is None or current == base_version:
        return
    snapshots = dict(
        AgentVersion.objects.filter(agent=agent, number__in=[base_version, current]).values_list("number", "snapshot")
    )
    base, latest = snapshots.get(base_version), snapshots.get(current)
    if base is None or latest is None:  # a version we cannot compare against: assume the worst
        changed = touched
    else:
        changed = {field for field in latest["agent"] if base["agent"].get(field) != latest["agent"][field]}
        changed |= {section for section in latest if section != "agent" and base.get(section) != latest[section]}
    clash = sorted(changed & touched)
    if clash:
        who = AgentVersion.objects.filter(agent=agent, number=current).values_list("created_by__email", flat=True)
        raise AgentEditConflict(
            f"Version {current} changed {', '.join(clash)} after you started editing version {base_version}.",
            fields=clash,
            version=current,
            saved_by=who.first(),
        )


@transaction.atomic
def agent_toggle(*, agent: Agent, actor: User | None, is_active: bool | None = None) -> Agent:
    before = agent_snapshot(agent)
    agent.is_active = (not agent.is_active) if is_active is None else is_active
    agent.save(update_fields=["is_active", "updated_at"])
    verb = "activated" if agent.is_active else "deactivated"
    return _changed(agent, actor, f"agent.{verb}", reason=verb, before=before, event="agent.toggled")


@transaction.atomic
def agent_delete(*, agent: Agent, actor: User | None) -> None:
    audit_record(
        action="agent.deleted",
        actor=actor,
        workspace=agent.workspace,
        target=agent,
        before=_flat(agent_snapshot(agent)),
    )
    workspace_id, agent_id = agent.workspace_id, agent.pk
    agent.delete()
    _drop_cached(workspace_id, agent_id)
    plan_usage_changed(workspace_id)
    realtime.publish(workspace_id, "agent.deleted", {"id": agent_id})


def _replace_pipelines(agent: Agent, rows: Iterable[dict]) -> None:
    AgentPipeline.objects.filter(agent=agent).delete()
    AgentPipeline.objects.bulk_create(
        [
            AgentPipeline(
                workspace_id=agent.workspace_id,
                agent=agent,
                pipeline_id=row["pipeline_id"],
                stage_ids=sorted(set(row.get("stage_ids") or [])),
            )
            for row in rows
        ]
    )


def _replace_channels(agent: Agent, channels: Iterable[str]) -> None:
    # A version saved before the playground stopped being an agent channel may still name it.
    known = {value for value, _ in AGENT_CHANNELS}
    AgentChannel.objects.filter(agent=agent).delete()
    AgentChannel.objects.bulk_create(
        [
            AgentChannel(workspace_id=agent.workspace_id, agent=agent, channel=channel)
            for channel in sorted(set(channels) & known)
        ]
    )


def _replace_knowledge(agent: Agent, category_ids: Iterable[int]) -> None:
    AgentKnowledgeCategory.objects.filter(agent=agent).delete()
    AgentKnowledgeCategory.objects.bulk_create(
        [
            AgentKnowledgeCategory(workspace_id=agent.workspace_id, agent=agent, category_id=category_id)
            for category_id in sorted(set(category_ids))
        ]
    )


def _replace_crm_fields(agent: Agent, rows: Iterable[dict]) -> None:
    AgentCrmField.objects.filter(agent=agent).delete()
    AgentCrmField.objects.bulk_create(
        [
            AgentCrmField(workspace_id=agent.workspace_id, agent=agent, **{f: row[f] for f in CRM_FIELDS if f in row})
            for row in rows
        ]
    )


def _replace_rules(agent: Agent, rows: Iterable[dict]) -> None:
    UpdateRule.objects.filter(agent=agent).delete()
    UpdateRule.objects.bulk_create(
        [
            UpdateRule(workspace_id=agent.workspace_id, agent=agent, **{f: row[f] for f in RULE_FIELDS if f in row})
            for row in rows
        ]
    )


_REPLACERS = {
    "pipelines": _replace_pipelines,
    "channels": _replace_channels,
    "knowledge_categories": _replace_knowledge,
    "crm_fields": _replace_crm_fields,
}


@transaction.atomic
def agent_config_replace(*, agent: Agent, actor: User | None, section: str, items: list) -> Agent:
    """Replace one configuration table (pipelines, channels, knowledge_categories, crm_fields) as a whole."""
    before = agent_snapshot(agent)
    _REPLACERS[section](agent, items)
    return _changed(agent, actor, f"agent.{section}_replaced", reason=f"{section} replaced", before=before)


@transaction.atomic
def update_rule_create(*, agent: Agent, actor: User | None, data: dict[str, Any]) -> UpdateRule:
    before = agent_snapshot(agent)
    rule = UpdateRule.objects.create(
        workspace_id=agent.workspace_id, agent=agent, **{f: data[f] for f in RULE_FIELDS if f in data}
    )
    _changed(agent, actor, "agent.update_rule_created", reason=f"rule {rule.name!r} added", before=before)
    return rule


@transaction.atomic
def update_rule_update(*, rule: UpdateRule, actor: User | None, data: dict[str, Any]) -> UpdateRule:
    before = agent_snapshot(rule.agent)
    for field in RULE_FIELDS:
        if field in data:
            setattr(rule, field, data[field])
    rule.save()
    _changed(
        rule.agent,
        actor,
        "agent.update_rule_updated",
        reason=f"rule {rule.name!r} changed",
        before=before,
    )
    return rule


@transaction.atomic
def update_rule_delete(*, rule: UpdateRule, actor: User | None) -> None:
    agent = rule.agent
    before = agent_snapshot(agent)
    name = rule.name
    rule.delete()
    _changed(agent, actor, "agent.update_rule_deleted", reason=f"rule {name!r} deleted", before=before)


@transaction.atomic
def agent_duplicate(*, agent: Agent, actor: User | None, name: str | None = None) -> Agent:
    """A deep copy of the agent and every configuration table and rule; new name, inactive."""
    snapshot = agent_snapshot(agent)
    values = dict(snapshot["agent"], is_active=False)
    values["name"] = name or _copy_name(agent)
    quota_check(workspace=agent.workspace, metric=QuotaMetric.AGENTS, current=Agent.objects.count())
    copy = Agent(workspace_id=agent.workspace_id, **values)
    _save_agent(copy)
    _apply_sections(copy, snapshot)
    return _changed(
        copy,
        actor,
        "agent.duplicated",
        reason=f"duplicated from {agent.name!r}",
        event="agent.created",
    )


def _copy_name(agent: Agent) -> str:
    suffix = " (copy)"  # kept whole: a long name is shortened before it (110 leaves room for " 99")
    base = f"{agent.name[: 110 - len(suffix)]}{suffix}"
    name, n = base, 2
    while Agent.objects.filter(name=name).exists():
        name, n = f"{base} {n}", n + 1
    return name


def _apply_sections(agent: Agent, snapshot: dict) -> list[int]:
    """Write a snapshot's configuration tables onto `agent`; returns category ids that no longer exist."""
    wanted = snapshot.get("knowledge_categories", [])
    existing = set(category_ids_existing(ids=wanted))
    _replace_pipelines(agent, snapshot.get("pipelines", []))
    _replace_channels(agent, snapshot.get("channels", []))
    _replace_knowledge(agent, [cid for cid in wanted if cid in existing])
    _replace_crm_fields(agent, snapshot.get("crm_fields", []))
    _replace_rules(agent, snapshot.get("update_rules", []))
    return [cid for cid in wanted if cid not in existing]


@transaction.atomic
def agent_version_restore(*, agent: Agent, number: int, actor: User | None) -> tuple[Agent, list[int]]:
    """Bring back the configuration of version `number` (stored as a new version)."""
    version = AgentVersion.objects.filter(agent=agent, number=number).first()
    if version is None:
        raise AgentVersionNotFound(f"Agent {agent.pk} has no version {number}.")
    before = agent_snapshot(agent)
    for field, value in version.snapshot["agent"].items():
        setattr(agent, field, value)
    _save_agent(agent)
    missing = _apply_sections(agent, version.snapshot)
    _changed(
        agent,
        actor,
        "agent.version_restored",
        reason=f"restored version {number}",
        before=before,
        event="agent.updated",
    )
    return agent, missing

"""Chains as the editor saves them (SPEC §4.3): create, update (the ordered steps, each with its
actions, replaced as a whole), delete; a manual start and a stop from the API. Each save checks the
working hours, the start stage, every step's template and every action, and refuses with one problem
whose errors are keyed by JSON path (`working_hours`, `steps[1].template`, `steps[0].actions[2].params.stage_id`)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction

from accounts.models import User, Workspace
from accounts.services import audit_record
from agents.selectors import working_hours_problems
from automations.exceptions import ChainAlreadyRunning, ChainInvalid, ChainNameTaken, ChainNotStartable
from automations.models import Chain, ChainRun, ChainRunStep, ChainStep, ChainStepAction, DueStatus
from automations.services.actions import action_errors
from automations.services.chains import _finish, chain_start, step_schedule
from automations.services.context import template_variables_unknown
from integrations.kommo.selectors import pipeline_list

if TYPE_CHECKING:
    from conversations.models import Conversation

CHAIN_FIELDS = (
    "name",
    "description",
    "is_active",
    "agent",
    "start_on",
    "start_pipeline_id",
    "start_stage_id",
    "stop_on",
    "working_hours",
    "holidays",
)
MAX_STEPS = 20
MAX_ACTIONS = 10


def chain_errors(data: dict[str, Any], steps: list[dict[str, Any]] | None) -> dict[str, list[str]]:
    """Everything wrong with a chain (its fields as they will be saved, and its steps), by JSON path."""
    errors: dict[str, list[str]] = {}

    def error(path: str, message: str) -> None:
        errors.setdefault(path, []).append(message)

    for message in working_hours_problems(schedule=data.get("working_hours") or {}):
        error("working_hours", message)
    if data.get("start_on") == Chain.StartOn.STAGE:
        _stage_errors(data.get("start_pipeline_id"), data.get("start_stage_id"), error)
    if steps is not None:
        if not steps:
            error("steps", "A chain needs at least one step.")
        if len(steps) > MAX_STEPS:
            error("steps", f"At most {MAX_STEPS} steps.")
        for index, step in enumerate(steps):
            _step_errors(f"steps[{index}]", step, error)
    return errors


def _stage_errors(pipeline_id: int | None, stage_id: int | None, error: Any) -> None:
    if not stage_id:
        error("start_stage_id", "Choose the stage that starts the chain.")
        return
    pipelines = list(pipeline_list())
    if pipeline_id and not any(p.kommo_id == pipeline_id for p in pipelines):
        error("start_pipeline_id", "No synced Kommo pipeline has this id.")
        return
    candidates = [p for p in pipelines if not pipeline_id or p.kommo_id == pipeline_id]
    if not any(status.get("id") == stage_id for p in candidates for status in p.statuses):
        error("start_stage_id", "No stage of the synced pipeline(s) has this id.")


def _step_errors(path: str, step: dict[str, Any], error: Any) -> None:
    kind, actions = step.get("kind", ChainStep.Kind.TEMPLATE), step.get("actions") or []
    template = step.get("template") or ""
    if kind == ChainStep.Kind.TEMPLATE and not template.strip():
        error(f"{path}.template", "Write the message.")
    if unknown := template_variables_unknown(template):
        error(f"{path}.template", f"Unknown variables: {', '.join('{' + name + '}' for name in unknown)}.")
    if kind == ChainStep.Kind.AI and not (step.get("ai_instruction") or "").strip():
        error(f"{path}.ai_instruction", "Say what the follow-up should do.")
    if kind == ChainStep.Kind.ACTIONS_ONLY and not actions:
        error(f"{path}.actions", "An actions-only step needs an action.")
    if len(actions) > MAX_ACTIONS:
        error(f"{path}.actions", f"At most {MAX_ACTIONS} actions.")
    for index, action in enumerate(actions):
        for name, messages in action_errors(action.get("kind", ""), action.get("params", {})).items():
            where = name if name in ("kind", "params") else f"params.{name}"
            for message in messages:
                error(f"{path}.actions[{index}].{where}", message)


@transaction.atomic
def chain_create(*, workspace: Workspace, actor: User | None, data: dict[str, Any]) -> Chain:
    """Save a new chain with its ordered steps and their actions (all checked first)."""
    steps = data.pop("steps", [])
    _validate(data, steps)
    chain = Chain(workspace=workspace, created_by=actor, **{k: v for k, v in data.items() if k in CHAIN_FIELDS})
    _save(chain)
    _steps_replace(chain, steps)
    audit_record(action="chain.created", actor=actor, workspace=workspace, target=chain)
    return chain


@transaction.atomic
def chain_update(*, chain: Chain, actor: User | None, data: dict[str, Any]) -> Chain:
    """Change a chain; `steps`, when given, replace its steps (a step sent with its `id` keeps its
    runs' history). Runs whose next step was removed go on with the step after it."""
    steps = data.pop("steps", None)
    merged = {name: getattr(chain, name) for name in CHAIN_FIELDS if name != "agent"} | data
    _validate(merged, steps)
    for name, value in data.items():
        if name in CHAIN_FIELDS:
            setattr(chain, name, value)
    _save(chain)
    if steps is not None:
        _steps_replace(chain, steps)
        _runs_resume(chain)
    audit_record(action="chain.updated", actor=actor, workspace=chain.workspace, target=chain)
    return chain


@transaction.atomic
def chain_delete(*, chain: Chain, actor: User | None) -> None:
    audit_record(
        action="chain.deleted", actor=actor, workspace=chain.workspace, target=chain, before={"name": chain.name}
    )
    chain.delete()


def chain_start_manual(*, chain: Chain, conversation: Conversation, actor: User | None) -> ChainRun:
    """Start the chain by hand (the API): refused when it is already running there or cannot start."""
    if not chain.is_active:
        raise ChainNotStartable("The chain is switched off.")
    if not chain.steps.exists():
        raise ChainNotStartable("The chain has no steps.")
    run = chain_start(chain=chain, conversation=conversation, started_by="manual", user=actor)
    if run is None:
        raise ChainAlreadyRunning("The chain is already running on this conversation.")
    return run


def _validate(data: dict[str, Any], steps: list[dict[str, Any]] | None) -> None:
    if errors := chain_errors(data, steps):
        first = next(iter(errors.items()))
        raise ChainInvalid(f"{first[0]}: {first[1][0]}", errors=errors)


def _save(chain: Chain) -> None:
    try:
        with transaction.atomic():
            chain.save()
    except IntegrityError as exc:
        if Chain.objects.filter(name=chain.name).exclude(pk=chain.pk).exists():
            raise ChainNameTaken(
                "Another chain has this name.", errors={"name": ["Another chain has this name."]}
            ) from exc
        raise


def _steps_replace(chain: Chain, steps: list[dict[str, Any]]) -> None:
    existing = {step.pk: step for step in chain.steps.all()}
    kept = {step["id"] for step in steps if step.get("id") in existing}
    ChainStep.objects.filter(chain=chain).exclude(pk__in=kept).delete()
    for order, data in enumerate(steps):
        step = existing.get(data.get("id")) if data.get("id") in kept else None
        step = step or ChainStep(workspace_id=chain.workspace_id, chain=chain)
        step.order, step.kind = order, data.get("kind", ChainStep.Kind.TEMPLATE)
        step.delay_minutes = data.get("delay_minutes", 60)
        step.template, step.ai_instruction = data.get("template", ""), data.get("ai_instruction", "")
        step.save()
        ChainStepAction.objects.filter(step=step).delete()
        ChainStepAction.objects.bulk_create(
            ChainStepAction(
                workspace_id=chain.workspace_id, step=step, order=index, kind=action["kind"], params=action["params"]
            )
            for index, action in enumerate(data.get("actions") or [])
        )


def _runs_resume(chain: Chain) -> None:
    """Active runs left without a pending step (theirs was removed): the first step not yet sent
    follows the last one sent, else the run completes."""
    waiting = ChainRunStep.objects.filter(status__in=[DueStatus.PENDING, DueStatus.CLAIMED])
    orphaned = ChainRun.objects.filter(chain=chain, status=ChainRun.Status.ACTIVE).exclude(
        pk__in=waiting.values("run_id")
    )
    steps = list(chain.steps.order_by("order", "id"))
    for run in orphaned.select_related("conversation__workspace", "chain"):
        done = set(ChainRunStep.objects.filter(run=run).values_list("step_id", flat=True))
        last = ChainRunStep.objects.filter(run=run).order_by("-finished_at").first()
        following = next((step for step in steps if step.pk not in done), None)
        if (
            following is None
            or step_schedule(run, following, after=last.finished_at if last else run.started_at) is None
        ):
            _finish(run, ChainRun.Status.COMPLETED, "The chain's remaining steps were removed")

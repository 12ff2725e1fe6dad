"""Reads of the automations app: chains with their steps, runs with their timelines."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from automations.models import Chain, ChainRun, ChainRunStep, ChainStep, ChainStepAction


def chain_list() -> QuerySet[Chain]:
    """The workspace's chains with their steps and actions and how many runs are active, in a
    constant number of queries."""
    return Chain.objects.prefetch_related(
        Prefetch(
            "steps",
            queryset=ChainStep.all_workspaces.order_by("order", "id").prefetch_related(
                Prefetch("actions", queryset=ChainStepAction.all_workspaces.order_by("order", "id"))
            ),
        )
    ).annotate(active_runs=Count("runs", filter=Q(runs__status=ChainRun.Status.ACTIVE)))


def _with_timeline(runs: QuerySet[ChainRun]) -> QuerySet[ChainRun]:
    return runs.select_related("chain", "conversation", "started_by_user").prefetch_related(
        Prefetch(
            "steps",
            queryset=ChainRunStep.all_workspaces.select_related("step", "message").order_by("scheduled_for", "id"),
        )
    )


def chain_run_list(*, chain: Chain, status: str | None = None) -> QuerySet[ChainRun]:
    """The chain's runs, newest first, each with its timeline."""
    runs = ChainRun.objects.filter(chain=chain)
    if status:
        runs = runs.filter(status=status)
    return _with_timeline(runs).order_by("-started_at", "-id")


def conversation_chain_runs(*, conversation_id: int) -> QuerySet[ChainRun]:
    """The conversation's runs of every chain (the conversation page's panel), newest first."""
    return _with_timeline(ChainRun.objects.filter(conversation_id=conversation_id)).order_by("-started_at", "-id")

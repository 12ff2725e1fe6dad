"""bench/chains: due chain steps through the real beat claim and the real worker.

    .venv/bin/python bench/chains.py [--steps 10000] [--workspaces 100] [--window 120] [--concurrency 2]

Seeds `steps` runs of a one-step chain (a template message) across `workspaces` workspaces, their
steps due evenly over the next `window` seconds (after a short lead). Then, as beat does with the
default schedule (agent_platform.celery.BEAT_SCHEDULE, every 2 s), calls the claim task, which hands
each due step to the worker (queue `chains`) until every step is done. Prints steps/s, lateness
p50/p95/max (the message's creation − the step's due_at), duplicates (runs with more than one
message: must be 0) and lost (steps not done: must be 0). `--window 0`: every step due at once (the
worker's capacity; lateness is then the backlog's).

Measured 2026-12-04 on 2 vCPU (AMD EPYC), worker × 2, shared with other work (load ≈ 1–3):
  --window 300 (33 steps/s): p50 1.52 s, p95 1.99 s, max 2.20 s; duplicates 0, lost 0
  --window 150 (67 steps/s): p50 1.70 s, p95 2.01 s, max 2.07 s; duplicates 0, lost 0
  --window 0 (all 10,000 due at once): 91 steps/s; duplicates 0, lost 0
"""

from __future__ import annotations

import argparse
import time
import uuid
from datetime import timedelta

from _setup import percentile, prepare, start_worker, stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--steps", type=int, default=10_000)
    parser.add_argument("--workspaces", type=int, default=100)
    parser.add_argument("--window", type=float, default=120.0, help="seconds over which the steps fall due")
    parser.add_argument("--lead", type=float, default=10.0, help="seconds before the first step is due")
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    prepare()

    from django.db.models import Count, F
    from django.utils import timezone

    from agent_platform.celery import BEAT_SCHEDULE, app
    from agent_platform.tenancy import workspace_scope
    from automations.models import Chain, ChainRun, ChainRunStep, ChainStep, DueStatus
    from automations.tasks import chain_steps_claim_task
    from conversations.models import Conversation, Message
    from tests.accounts.factories import UserFactory, WorkspaceFactory

    interval = float(BEAT_SCHEDULE["automations-chain-steps"]["schedule"])
    tag = uuid.uuid4().hex[:8]
    per_workspace = args.steps // args.workspaces
    print(f"seeding {per_workspace * args.workspaces} due steps across {args.workspaces} workspaces…", flush=True)
    seeded = time.monotonic()
    run_ids: list[int] = []
    start = timezone.now() + timedelta(seconds=args.lead)
    for w in range(args.workspaces):
        owner = UserFactory(email=f"bench-chains-{tag}-{w}@example.com", password=None)
        workspace = WorkspaceFactory(name=f"Chains {tag} {w}", owner=owner)
        with workspace_scope(workspace.pk):
            chain = Chain.objects.create(workspace=workspace, name="Follow-up")
            step = ChainStep.objects.create(
                workspace=workspace, chain=chain, order=0, delay_minutes=0, template="Hi {customer_name}, any news?"
            )
            conversations = Conversation.objects.bulk_create(
                Conversation(
                    workspace=workspace, channel="api", external_chat_id=f"{tag}-{w}-{i}", customer_name=f"C{i}"
                )
                for i in range(per_workspace)
            )
            runs = ChainRun.objects.bulk_create(
                ChainRun(workspace=workspace, chain=chain, conversation=c, started_by="bench") for c in conversations
            )
            rows = []
            for i, run in enumerate(runs):
                # Interleave the workspaces over the window: step k of all is due at start + k·window/N.
                due = start + timedelta(seconds=args.window * (i * args.workspaces + w) / args.steps)
                rows.append(ChainRunStep(workspace=workspace, run=run, step=step, scheduled_for=due, due_at=due))
            ChainRunStep.objects.bulk_create(rows)
            run_ids += [run.pk for run in runs]
    print(f"seeded in {time.monotonic() - seeded:.1f} s", flush=True)

    rows = ChainRunStep.objects.unscoped_across_workspaces().filter(run_id__in=run_ids)
    worker = start_worker(queues="chains", concurrency=args.concurrency)
    try:
        time.sleep(3)  # the worker is up
        # The first step falls due `lead` seconds from now, whatever seeding and the worker's start took.
        shift = timezone.now() + timedelta(seconds=args.lead) - start
        rows.update(due_at=F("due_at") + shift, scheduled_for=F("scheduled_for") + shift)
        began = time.monotonic()
        deadline = began + args.lead + args.window + 600
        while time.monotonic() < deadline:
            tick = time.monotonic()
            chain_steps_claim_task()  # what beat sends every `interval` seconds
            left = rows.exclude(status=DueStatus.DONE).count()
            if left == 0:
                break
            time.sleep(max(0.0, interval - (time.monotonic() - tick)))
    finally:
        stop(worker)
        app.control.purge()  # the messages' send tasks (no channel here)

    done = list(rows.filter(status=DueStatus.DONE).values_list("due_at", "claimed_at", "message__created_at"))
    lateness = [(sent - due).total_seconds() for due, _, sent in done if sent is not None]
    first_claim = min(claimed for _, claimed, _ in done) if done else None
    last_sent = max(sent for _, _, sent in done) if done else None
    per_run = (
        Message.objects.unscoped_across_workspaces()
        .filter(metadata__automation__run__in=run_ids)
        .values("metadata__automation__run")
        .annotate(n=Count("id"))
    )
    duplicates = sum(1 for row in per_run if row["n"] > 1)
    lost = rows.exclude(status=DueStatus.DONE).count() + sum(1 for *_, sent in done if sent is None)
    busy = (last_sent - first_claim).total_seconds() if done else float("nan")
    print(f"steps: {len(done)} sent of {len(run_ids)}; beat every {interval:g} s; worker × {args.concurrency}")
    offered = f"{len(done) / args.window:.0f} steps/s offered" if args.window else "all due at once"
    print(f"throughput: {offered}; {len(done) / busy:.0f} steps/s from the first claim to the last send")
    print(
        f"lateness (sent − due): p50 {percentile(lateness, 50):.2f} s, p95 {percentile(lateness, 95):.2f} s, "
        f"max {max(lateness):.2f} s"
    )
    print(f"duplicates: {duplicates}  lost: {lost}")


if __name__ == "__main__":
    main()

"""bench/pipeline: customer messages through the real worker with a zero-latency model.

    .venv/bin/python bench/pipeline.py [--messages 300] [--rate 20] [--concurrency 2]

Two phases, each message on its own chat so each gets its own reply:
- throughput: a burst of N messages; messages/s from the first ingest to the last reply sent;
- overhead: messages at a steady rate below capacity; per message, ingest → reply sent minus the
  model's own time (the offline model, measured in the trace), p50 and p95.
The agent answers from a small knowledge base (retrieval with the local embedding model included).
"""

from __future__ import annotations

import argparse
import time
import uuid

from _setup import percentile, prepare, start_worker, stop


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--rate", type=float, default=20.0, help="messages/s in the overhead phase")
    parser.add_argument("--overhead-messages", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    prepare()

    from agent_platform.tenancy import workspace_scope
    from conversations.models import Message
    from conversations.services import ingest_message
    from tests.accounts.factories import UserFactory, WorkspaceFactory
    from tests.agents.factories import AgentFactory
    from tests.knowledge.factories import ArticleFactory

    run = uuid.uuid4().hex[:8]
    owner = UserFactory(email=f"bench-{run}@example.com", password=None)
    workspace = WorkspaceFactory(name=f"Bench {run}", owner=owner)
    for title, body in [
        ("Delivery", "We deliver within 3 business days. Express delivery is next day."),
        ("Returns", "You can return any item within 30 days for a full refund."),
        ("Payment", "We accept cards, bank transfers and cash on delivery."),
    ]:
        ArticleFactory(
            workspace=workspace,
            actor=owner,
            title=title,
            body=f"<p>{body}</p>",
            status="published",
            language="en",
            indexed=True,
        )
    AgentFactory(
        workspace=workspace,
        actor=owner,
        name="Bench",
        model_provider="offline",
        model_id="offline-extractive",
        is_active=True,
        channels=["api"],
    )

    worker = start_worker(concurrency=args.concurrency)
    try:
        questions = ["How long does delivery take?", "Can I return an item?", "Do you accept cards?"]

        def send(tag: str, i: int) -> tuple[int, float]:
            started = time.time()
            with workspace_scope(workspace.pk):
                message, _ = ingest_message(
                    workspace=workspace,
                    channel="api",
                    external_chat_id=f"{tag}-{i}",
                    external_message_id=f"{run}-{tag}-{i}",
                    text=questions[i % 3],
                )
            return message.pk, started

        def wait_for(ids: list[int], timeout: float = 600) -> list[Message]:
            """Poll with a count (cheap: the bench must not steal the worker's CPU), then load once."""
            deadline = time.monotonic() + timeout
            with workspace_scope(workspace.pk):
                replies = Message.objects.filter(author="ai", status="sent", answers__overlap=ids)
                while time.monotonic() < deadline:
                    done = replies.count()
                    if done >= len(ids):
                        return list(replies.only("answers", "sent_at", "trace"))
                    time.sleep(0.25)
            raise TimeoutError(f"{done} of {len(ids)} replies after {timeout} s")

        # Warm-up: load the embedding model in the worker processes.
        wait_for([send("warm", i)[0] for i in range(args.concurrency * 2)])

        burst_started = time.time()
        sent = [send("burst", i) for i in range(args.messages)]
        replies = wait_for([pk for pk, _ in sent])
        burst_seconds = max(r.sent_at.timestamp() for r in replies) - burst_started
        print(
            f"throughput: {args.messages} messages in {burst_seconds:.1f} s = "
            f"{args.messages / burst_seconds:.1f} msg/s (worker concurrency {args.concurrency})"
        )

        paced: list[tuple[int, float]] = []
        for i in range(args.overhead_messages):
            paced.append(send("paced", i))
            time.sleep(max(0.0, paced[0][1] + (i + 1) / args.rate - time.time()))
        replies = {pk: r for r in wait_for([pk for pk, _ in paced]) for pk in r.answers}
        overheads, model_ms = [], []
        for pk, started in paced:
            reply = replies[pk]
            generate = next((s["ms"] for s in reply.trace if s["step"] == "generate"), 0.0)
            model_ms.append(generate)
            overheads.append((reply.sent_at.timestamp() - started) * 1000 - generate)
        print(
            f"overhead at {args.rate:g} msg/s ({args.overhead_messages} messages): "
            f"p50 {percentile(overheads, 50):.0f} ms, p95 {percentile(overheads, 95):.0f} ms, "
            f"max {max(overheads):.0f} ms (model time excluded: p50 {percentile(model_ms, 50):.1f} ms)"
        )
    finally:
        stop(worker)


if __name__ == "__main__":
    main()

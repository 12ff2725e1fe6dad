"""Benchmark: hybrid search with a category filter over 100k chunks (plus other workspaces' noise).

    createdb -h 127.0.0.1 -U postgres ap_knowledge_dev
    .venv/bin/python bench/kb_search.py [--rebuild]

(DATABASE_URL/REDIS_URL default to the ap_knowledge_dev database and Redis db 6; production
settings, DEBUG off.)

Data is synthetic and loaded with binary COPY (no model runs at build time): 100k chunks in one
workspace (5,000 articles × 20 chunks, 20 categories in a 4×4 tree) and 40k chunks in 4 other
workspaces; 512-d vectors around 300 cluster centres (real embeddings cluster by topic; uniform
noise would be an unrealistically hard case) and text from a 3,000-word vocabulary.
Prints p50/p95 of the SQL alone (the search engine call with a precomputed query vector), of the
HTTP endpoint (in-process Django client: auth, workspace check, query embedding, SQL,
serialization), and recall@10 of filtered HNSW search against exact search.
"""

from __future__ import annotations

import random
import sys
import time

import numpy as np
from _setup import use_knowledge_bench_settings

use_knowledge_bench_settings()

import django  # noqa: E402 (the environment above must be set first)

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

DIM = 512
MAIN_CHUNKS, NOISE_CHUNKS = 100_000, 40_000
PER_ARTICLE = 20
PROVIDER = "local:use-multilingual"
rng = np.random.default_rng(7)
random.seed(7)
VOCAB = [f"w{i}" for i in range(3000)]
CENTRES = rng.normal(size=(300, DIM)).astype(np.float32)


def _vectors(n: int) -> np.ndarray:
    picks = rng.integers(0, len(CENTRES), size=n)
    out = CENTRES[picks] + 0.6 * rng.normal(size=(n, DIM)).astype(np.float32)
    return out / np.linalg.norm(out, axis=1, keepdims=True)


def build() -> dict:
    from pgvector.psycopg import register_vector

    from accounts.models import User
    from agent_platform.tenancy import workspace_scope
    from knowledge.models import ChunkVector512, KnowledgeSettings
    from tests.accounts.factories import WorkspaceFactory
    from tests.knowledge.factories import CategoryFactory

    user, _ = User.objects.get_or_create(email="bench@example.com")
    user.set_password("bench-password-123")
    user.save()
    workspaces = [
        WorkspaceFactory(name=name, owner=user) for name in ["Bench main", "Noise 1", "Noise 2", "Noise 3", "Noise 4"]
    ]
    main = workspaces[0]
    categories = {}
    with workspace_scope(main.pk):
        KnowledgeSettings.objects.create(workspace=main, embedding_provider=PROVIDER)
        for r in range(4):
            root = CategoryFactory(workspace=main, name=f"Root {r}")
            categories[root.pk] = None
            for c in range(4):
                child = CategoryFactory(workspace=main, name=f"Leaf {r}.{c}", parent=root)
                categories[child.pk] = root.pk
    leaves = [pk for pk, parent in categories.items() if parent is not None]
    pg = connection.connection
    register_vector(pg)
    table = ChunkVector512._meta.db_table
    with pg.cursor() as cur:
        cur.execute(f"DROP INDEX IF EXISTS kb_vec{DIM}_hnsw")
        plan = [(main.pk, MAIN_CHUNKS)] + [(ws.pk, NOISE_CHUNKS // 4) for ws in workspaces[1:]]
        for ws_id, total in plan:
            n_articles = total // PER_ARTICLE
            cur.execute(
                """INSERT INTO kb_articles (workspace_id, title, body, status, language, detected_language, tags,
                     source, source_url, url_resync, url_content_hash, index_state, index_progress, index_error,
                     index_attempts, index_state_changed_at, extracted_text, extracted_hash, created_at, updated_at)
                   SELECT %s, 'Article ' || g, '', 'published', 'en', 'en', ARRAY['t' || (g %% 10)], 'manual', '',
                     false, '', 'ready', 100, '', 1, now(), '', '', now(), now()
                   FROM generate_series(1, %s) g RETURNING id""",
                (ws_id, n_articles),
            )
            article_ids = [row[0] for row in cur.fetchall()]
            article_cat = {a: random.choice(leaves) for a in article_ids}
            if ws_id == main.pk:
                with cur.copy("COPY kb_article_categories (workspace_id, article_id, category_id) FROM STDIN") as copy:
                    for a, c in article_cat.items():
                        copy.write_row((ws_id, a, c))
            with cur.copy(
                "COPY kb_chunks (workspace_id, article_id, ordinal, text, heading, char_start, char_end, language,"
                " ts_config, content_hash, tokens, status, tags, category_ids, created_at) FROM STDIN"
            ) as copy:
                for a in article_ids:
                    cats = [article_cat[a]] if ws_id == main.pk else []
                    for o in range(PER_ARTICLE):
                        text = " ".join(random.choices(VOCAB, k=40))
                        copy.write_row(
                            (
                                ws_id,
                                a,
                                o,
                                text,
                                "",
                                0,
                                len(text),
                                "en",
                                "english",
                                f"{a}-{o}",
                                60,
                                "published",
                                [f"t{a % 10}"],
                                cats,
                                "2026-01-01",
                            )
                        )
            cur.execute(
                "SELECT id, article_id, category_ids FROM kb_chunks WHERE workspace_id = %s ORDER BY id", (ws_id,)
            )
            rows = cur.fetchall()
            vectors = _vectors(len(rows))
            with cur.copy(
                f"COPY {table} (workspace_id, chunk_id, article_id, provider, status, language, tags, category_ids,"
                " embedding) FROM STDIN WITH (FORMAT BINARY)"
            ) as copy:
                copy.set_types(
                    ["bigint", "bigint", "bigint", "varchar", "varchar", "varchar", "varchar[]", "bigint[]", "vector"]
                )
                for (chunk_id, article_id, cats), vector in zip(rows, vectors, strict=True):
                    copy.write_row(
                        (
                            ws_id,
                            chunk_id,
                            article_id,
                            PROVIDER,
                            "published",
                            "en",
                            [f"t{article_id % 10}"],
                            cats,
                            vector,
                        )
                    )
            print(f"loaded {len(rows)} chunks into workspace {ws_id}", flush=True)
        cur.execute("UPDATE kb_chunks SET tsv = to_tsvector('english', text) WHERE tsv IS NULL")
        started = time.perf_counter()
        cur.execute("SET maintenance_work_mem = '512MB'")
        cur.execute(
            f"CREATE INDEX kb_vec{DIM}_hnsw ON {table} USING hnsw (embedding vector_cosine_ops)"
            " WITH (m = 16, ef_construction = 64)"
        )
        print(f"HNSW index built in {time.perf_counter() - started:.0f} s", flush=True)
        cur.execute("VACUUM ANALYZE")
    pg.commit()
    return {"workspace": main.pk, "roots": [pk for pk, p in categories.items() if p is None], "leaves": leaves}


def _warn_if_toasted() -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attstorage FROM pg_attribute"
            " WHERE attrelid = 'kb_chunk_vectors_512'::regclass AND attname = 'embedding'"
        )
        print(f"vector column storage: {cursor.fetchone()[0]} (p = plain, in-row)")


def percentile(values, q):
    return float(np.percentile(values, q))


def main() -> None:
    from accounts.models import Workspace
    from agent_platform.tenancy import workspace_scope
    from knowledge.models import Category
    from knowledge.search import SearchFilters, pgvector_version, search_chunks

    call_command("migrate", verbosity=0)  # a new benchmark database gets its tables first
    if "--rebuild" in sys.argv or not Workspace.objects.filter(name="Bench main").exists():
        # The benchmark database is its own: empty the knowledge tables wholesale (the ORM's
        # cascade would walk 140k rows in Python).
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE kb_chunk_vectors_384, kb_chunk_vectors_512, kb_chunk_vectors_768, kb_chunk_vectors_1536,"
                " kb_chunks, kb_article_categories, kb_article_relations, kb_article_files, kb_articles,"
                " kb_categories, kb_settings CASCADE"
            )
        Workspace.objects.filter(name__in=["Bench main", "Noise 1", "Noise 2", "Noise 3", "Noise 4"]).delete()
        info = build()
    else:
        main_ws = Workspace.objects.filter(name="Bench main").latest("pk")
        with workspace_scope(main_ws.pk):
            cats = list(Category.objects.values_list("pk", "parent_id"))
        info = {
            "workspace": main_ws.pk,
            "roots": [c for c, p in cats if p is None],
            "leaves": [c for c, p in cats if p],
        }
    ws_id = info["workspace"]
    _warn_if_toasted()
    print(f"pgvector {'.'.join(map(str, pgvector_version()))}; workspace {ws_id}")
    queries = _vectors(120).tolist()
    words = [" ".join(random.choices(VOCAB, k=3)) for _ in range(120)]

    def run(i, category_ids, *, mode="hybrid"):
        with workspace_scope(ws_id):
            return search_chunks(
                workspace_id=ws_id,
                query=words[i],
                mode=mode,
                filters=SearchFilters(category_ids=category_ids),
                k=10,
                provider_key=PROVIDER,
                query_vector=queries[i],
                dimensions=DIM,
            )

    for label, pool in (
        ("leaf category (~5% of chunks)", info["leaves"]),
        ("root category incl. descendants (~25%)", info["roots"]),
        ("no category: the whole workspace (71% of the table)", [None]),
    ):

        def categories(i, pool=pool):
            picked = pool[i % len(pool)]
            return None if picked is None else [picked]

        for i in range(len(queries)):  # warm-up pass: page cache and shared buffers
            run(i, categories(i))
        timings = []
        for i in range(len(queries)):
            started = time.perf_counter()
            run(i, categories(i))
            timings.append((time.perf_counter() - started) * 1000)
        print(f"SQL hybrid, {label}: p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms")
        recalls = []
        for i in range(40):
            approx = {h.chunk_id for h in run(i, categories(i), mode="semantic")}
            exact = _exact(ws_id, queries[i], categories(i), info)
            recalls.append(len(approx & exact) / max(1, len(exact)))
        print(f"recall@10 filtered semantic vs exact, {label}: {np.mean(recalls):.3f} (min {min(recalls):.2f})")
    _endpoint(ws_id, info)


def _exact(ws_id, vector, category_ids, info):
    from agent_platform.tenancy import workspace_scope
    from knowledge.search import category_descendants

    literal = "[" + ",".join(f"{v:.7g}" for v in vector) + "]"
    category_sql, params = "", [ws_id, PROVIDER]
    if category_ids is not None:
        with workspace_scope(ws_id):
            params.append(category_descendants(category_ids))
        category_sql = " AND category_ids && %s::bigint[]"
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute(
            "SELECT chunk_id FROM kb_chunk_vectors_512"
            " WHERE workspace_id = %s AND provider = %s AND status = 'published'"
            f"{category_sql} ORDER BY embedding <=> %s::vector LIMIT 10",
            (*params, literal),
        )
        return {row[0] for row in cursor.fetchall()}


def _endpoint(ws_id, info):
    from django.test import Client
    from rest_framework_simplejwt.tokens import RefreshToken

    from accounts.models import User

    token = str(RefreshToken.for_user(User.objects.get(email="bench@example.com")).access_token)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {token}", HTTP_X_WORKSPACE=str(ws_id), HTTP_HOST="localhost")
    phrases = [
        "how long does delivery take",
        "можно ли вернуть товар",
        "formas de pago",
        "horário de atendimento",
        "reset my password",
        "скидка на опт",
        "warranty period",
        "where is the office",
    ]
    from integrations.ai.selectors import embedding_model_get

    provider = embedding_model_get(PROVIDER)
    real_embed = provider.embed_query
    in_distribution = _vectors(110).tolist()

    def measure(label: str) -> None:
        timings = []
        for i in range(110):
            category = info["leaves"][i % len(info["leaves"])]
            started = time.perf_counter()
            response = client.get(
                "/api/knowledge/search", {"q": f"{phrases[i % len(phrases)]} {i}", "categories": category}
            )
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
        timings = timings[10:]
        print(
            f"HTTP GET /api/knowledge/search (hybrid, leaf category, {label}): "
            f"p50 {percentile(timings, 50):.1f} ms, p95 {percentile(timings, 95):.1f} ms"
        )

    # The stored vectors are synthetic, so a real model's query vector lands far from every
    # cluster and makes the graph walk longer than real data would. Measured both ways.
    measure(f"query embedded by {PROVIDER}")
    counter = iter(range(10**9))
    provider.embed_query = lambda text: in_distribution[next(counter) % len(in_distribution)]
    measure("query vector drawn from the data's distribution (model call excluded)")
    provider.embed_query = real_embed
    embed_times = []
    for i in range(100):
        started = time.perf_counter()
        real_embed(f"{phrases[i % len(phrases)]} {i}")
        embed_times.append((time.perf_counter() - started) * 1000)
    print(
        f"query embedding alone ({PROVIDER}): p50 {percentile(embed_times, 50):.1f} ms, "
        f"p95 {percentile(embed_times, 95):.1f} ms"
    )


if __name__ == "__main__":
    main()

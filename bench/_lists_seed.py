"""Seeding for bench/api_lists.py: one workspace with `rows` rows in each list a user opens daily,
written with bulk_create (no API, no services), timestamps spread over the past like real history.
Not part of the test run."""

from __future__ import annotations

import datetime as dt
import random
from contextlib import contextmanager

from django.db import connection
from django.utils import timezone

BATCH = 2000
CUSTOMERS = ["Ana", "Bruno", "Carla", "Diego", "Elena", "Fabio", "Gina", "Hugo", "Iris", "Jonas"]
TOPICS = ["delivery", "refund", "warranty", "discount", "invoice", "pickup", "sizes", "returns"]
ACTIONS = ["agent.updated", "article.created", "article.updated", "member.invited", "trigger.updated"]
KINDS = ["approval_requested", "handoff_requested", "message_failed", "kommo_disconnected"]


@contextmanager
def _own_timestamps(models: list):
    """bulk_create keeps the created_at/updated_at the rows carry (auto_now and auto_now_add would
    stamp them all with one time): history spread over the past, as real lists hold it."""
    fields = [
        f for m in models for f in m._meta.fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", 0)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, auto_now, auto_now_add in saved:
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def seed(*, workspace, owner, members: list, rows: int) -> dict:
    """The rows; returns the ids the requests need (a conversation with `rows` messages, a trigger
    with `rows` log entries, a category, a member who acted)."""
    from accounts.models import AuditLog, Notification
    from agent_platform.tenancy import workspace_scope
    from automations.models import Trigger, TriggerLog
    from conversations.models import Conversation, Message
    from knowledge.models import Article, ArticleCategory, Category, IndexState

    rng = random.Random(19)
    ws = workspace.pk
    now = timezone.now()

    def ago(n: int, step_seconds: int) -> dt.datetime:  # row n of `rows`, the last the newest
        return now - dt.timedelta(seconds=(rows - n) * step_seconds)

    models = [Conversation, Message, Category, Article, Notification, AuditLog, Trigger, TriggerLog]
    with workspace_scope(ws), _own_timestamps(models):
        conversations = Conversation.all_workspaces.bulk_create(
            [
                Conversation(
                    workspace_id=ws,
                    channel=rng.choice(["kommo", "api"]),
                    external_chat_id=f"chat-{n}",
                    customer_name=f"{rng.choice(CUSTOMERS)} {n}",
                    customer_handle=f"+5511{n:07d}",
                    status=rng.choices(["open", "human", "closed"], weights=[70, 10, 20])[0],
                    last_message_at=ago(n, 60),
                    unread_count=rng.choice([0, 0, 0, 1, 2, 5]),
                    created_at=ago(n, 60) - dt.timedelta(hours=1),
                    updated_at=ago(n, 60),
                )
                for n in range(rows)
            ],
            batch_size=BATCH,
        )
        hot = conversations[-1]  # the busiest conversation: `rows` messages of its own
        messages = []
        for index, conversation in enumerate(conversations[:-1]):
            for turn in range(3):
                customer = turn % 2 == 0
                status = "received" if customer else "sent"
                if not customer and index % 100 == 0:
                    status = "pending_approval"
                elif not customer and index % 250 == 1:
                    status = "failed"
                at = conversation.last_message_at - dt.timedelta(seconds=3 - turn)
                messages.append(_message(conversation, turn, customer, status, at))
        messages += [
            _message(hot, n, n % 2 == 0, "received" if n % 2 == 0 else "sent", ago(n, 20)) for n in range(rows)
        ]
        for start in range(0, len(messages), BATCH):
            Message.all_workspaces.bulk_create(messages[start : start + BATCH])

        categories = Category.all_workspaces.bulk_create(
            [
                Category(workspace_id=ws, name=f"Category {n}", order=n, created_at=now, updated_at=now)
                for n in range(20)
            ],
        )
        articles = Article.all_workspaces.bulk_create(
            [
                Article(
                    workspace_id=ws,
                    title=f"How {rng.choice(TOPICS)} works, part {n}",
                    body=f"<p>{' '.join(rng.choices(TOPICS, k=300))}</p>",
                    status=rng.choices(["published", "draft", "archived"], weights=[80, 15, 5])[0],
                    language="en",
                    detected_language=rng.choice(["en", "es", "pt"]),
                    tags=rng.sample(TOPICS, 2),
                    index_state=IndexState.READY,
                    extracted_text=" ".join(rng.choices(TOPICS, k=300)),
                    created_at=ago(n, 600),
                    updated_at=ago(n, 300),
                )
                for n in range(rows)
            ],
            batch_size=BATCH,
        )
        ArticleCategory.all_workspaces.bulk_create(
            [ArticleCategory(workspace_id=ws, article=a, category=categories[n % 20]) for n, a in enumerate(articles)],
            batch_size=BATCH,
        )

        Notification.all_workspaces.bulk_create(
            [
                Notification(
                    workspace_id=ws,
                    user=owner,
                    kind=KINDS[n % len(KINDS)],
                    title=f"Conversation {n} needs you",
                    payload={"conversation": n},
                    read_at=None if n % 3 == 0 else now,
                    created_at=ago(n, 90),
                )
                for n in range(rows)
            ],
            batch_size=BATCH,
        )
        actors = [owner, *members]
        AuditLog.all_workspaces.bulk_create(
            [
                AuditLog(
                    workspace_id=ws,
                    actor=actors[n % len(actors)],
                    actor_email=actors[n % len(actors)].email,
                    action=ACTIONS[n % len(ACTIONS)],
                    target_type=ACTIONS[n % len(ACTIONS)].split(".")[0],
                    target_id=str(n),
                    target_repr=f"Object {n}",
                    changes={"name": [f"old {n}", f"new {n}"]},
                    ip_address="127.0.0.1",
                    created_at=ago(n, 90),
                )
                for n in range(rows)
            ],
            batch_size=BATCH,
        )
        trigger = Trigger.objects.create(
            workspace_id=ws, name="Discount asked", condition={}, created_at=now, updated_at=now
        )
        TriggerLog.all_workspaces.bulk_create(
            [
                TriggerLog(
                    workspace_id=ws,
                    trigger=trigger,
                    conversation=conversations[n % rows],
                    outcome=rng.choices(["fired", "not_matched", "limited"], weights=[30, 65, 5])[0],
                    why="message.text contains 'discount'",
                    verdict={"tests": [{"fact": "message.text", "holds": n % 3 == 0}]},
                    actions=[{"kind": "add_tag", "ok": True}],
                    duration_ms=n % 40,
                    created_at=ago(n, 30),
                )
                for n in range(rows)
            ],
            batch_size=BATCH,
        )
    with connection.cursor() as cursor:
        for model in _models():
            cursor.execute(f"ANALYZE {model._meta.db_table}")
    return {"hot": hot.pk, "trigger": trigger.pk, "category": categories[3].pk, "member": members[0].pk}


def _message(conversation, n: int, customer: bool, status: str, at: dt.datetime):
    from conversations.models import Message

    return Message(
        workspace_id=conversation.workspace_id,
        conversation=conversation,
        channel=conversation.channel,
        direction="in" if customer else "out",
        author="customer" if customer else "ai",
        text=f"Message {n}: how long does delivery take to my city?",
        source_timestamp=at,
        status=status,
        created_at=at,
        updated_at=at,
    )


def _models() -> list:
    """The seeded models, each before the ones it points at (the order rows are deleted in)."""
    from accounts.models import AuditLog, Notification
    from automations.models import Trigger, TriggerLog
    from conversations.models import Conversation, Message
    from knowledge.models import Article, ArticleCategory, Category

    return [TriggerLog, Trigger, AuditLog, Notification, ArticleCategory, Article, Category, Message, Conversation]


def unseed(workspace_id: int) -> None:
    """Remove the workspace's rows with SQL (the ORM's cascade would load them all first)."""
    with connection.cursor() as cursor:
        for model in _models():
            cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE workspace_id = %s", [workspace_id])

"""The plan's remaining limits: channels / integrations (Kommo and the API channel count together),
the knowledge base's storage (files and article text), and AI follow-ups of chains taking AI replies
from the same quota as the processor — each refusal a 402 problem with the stable code
`quota_exceeded` (or, for a chain step, a failed step and run that say why)."""

import threading
from datetime import UTC, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection, transaction

from agent_platform.tenancy import workspace_scope
from automations import services as automations
from automations.models import ChainRun, ChainRunStep, ChainStep, DueStatus
from billing.exceptions import QuotaLimitReached
from billing.selectors import plan_usage
from billing.services import quota_consume
from conversations.models import Message
from integrations.kommo.models import KommoIntegration
from integrations.kommo.services import oauth_authorize
from knowledge.models import Article, ArticleFile
from knowledge.selectors import kb_storage_bytes
from knowledge.services import article_create
from tests.automations.factories import ChainFactory, ChainStepFactory
from tests.billing.factories import plan_make, put_on_plan
from tests.conftest import client_for
from tests.conversations.factories import ConversationFactory, CustomerMessageFactory
from tests.integrations.kommo.conftest import account, connected, kommo, oauth_connect  # noqa: F401 (fixtures)
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db

API_CHANNEL = "/api/channels/api/settings"
KOMMO = "/api/integrations/kommo"
KB = 1024


def _limits(workspace) -> dict:
    return {row["metric"]: row for row in plan_usage(workspace=workspace)["limits"]}


def _put_webhook(client, url: str):
    return client.put(API_CHANNEL, {"webhook_url": url}, format="json")


def _long_lived(kommo, account) -> dict:  # noqa: F811 (the fixture's value)
    private = kommo.add_integration(account, client_id="pvt", client_secret="pvt-secret-0123456789", redirect_uri="x")
    return {
        "mode": "long_lived",
        "base_domain": account.base_domain,
        "access_token": kommo.long_lived_token(account, private.client_id),
        "client_id": private.client_id,
        "client_secret": private.client_secret,
    }


class ChannelLimitTests:
    def test_kommo_beyond_the_plan_after_the_api_channel_is_refused_and_nothing_is_stored(
        self,
        owner,
        workspace,
        kommo,  # noqa: F811
        account,  # noqa: F811
    ):
        put_on_plan(workspace, plan_make(channels=1))
        client = client_for(owner)
        assert _put_webhook(client, "https://hooks.example.com/ai").status_code == 200
        assert _limits(workspace)["channels"]["used"] == 1
        # Changing the webhook of a connected channel takes no new place.
        assert _put_webhook(client, "https://hooks.example.com/v2").status_code == 200
        response = client.post(f"{KOMMO}/connect", _long_lived(kommo, account), format="json")
        assert response.status_code == 402
        assert response["Content-Type"].startswith("application/problem+json")
        assert (response.json()["code"], response.json()["metric"]) == ("quota_exceeded", "channels")
        with workspace_scope(workspace.pk):
            assert not KommoIntegration.objects.exists()
        # The OAuth popup is not even opened.
        with pytest.raises(QuotaLimitReached):
            oauth_authorize(workspace=workspace, user=owner)
        put_on_plan(workspace, plan_make("two", channels=2))
        assert client.post(f"{KOMMO}/connect", _long_lived(kommo, account), format="json").status_code == 201
        assert _limits(workspace)["channels"]["used"] == 2

    def test_the_api_channel_beyond_the_plan_after_kommo_is_refused_and_kommo_reconnects(
        self,
        owner,
        workspace,
        kommo,  # noqa: F811
        account,  # noqa: F811
        connected,  # noqa: F811
    ):
        put_on_plan(workspace, plan_make(channels=1))
        client = client_for(owner)
        response = _put_webhook(client, "https://hooks.example.com/ai")
        assert response.status_code == 402
        assert (response.json()["code"], response.json()["metric"]) == ("quota_exceeded", "channels")
        assert client.get(API_CHANNEL).json()["webhook_url"] == ""
        # Reconnecting the account that holds the place is allowed; after a disconnect it is free.
        oauth_connect(kommo, account, workspace, owner)
        assert _limits(workspace)["channels"]["used"] == 1  # (now in the cached read)
        assert client.delete(f"{KOMMO}/disconnect").status_code in (200, 204)
        assert _limits(workspace)["channels"]["used"] == 0
        assert _put_webhook(client, "https://hooks.example.com/ai").status_code == 200


class StorageLimitTests:
    @pytest.fixture
    def small(self, workspace, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        return put_on_plan(workspace, plan_make(kb_storage_mb=1))

    def _upload(self, client, article, size: int, name="notes.txt"):
        upload = SimpleUploadedFile(name, b"a" * size, content_type="text/plain")
        return client.post(f"/api/knowledge/articles/{article.pk}/files", {"file": upload}, format="multipart")

    def test_files_and_article_text_beyond_the_plan_are_refused_and_nothing_is_kept(self, owner, workspace, small):
        client = client_for(owner)
        article = ArticleFactory(workspace=workspace, actor=owner, title="Doc", body="<p>x</p>")
        assert self._upload(client, article, 600 * KB).status_code == 201
        refused = self._upload(client, article, 500 * KB, name="more.txt")
        assert refused.status_code == 402
        assert (refused.json()["code"], refused.json()["metric"]) == ("quota_exceeded", "kb_storage_mb")
        body = "<p>" + "b" * (400 * KB) + "</p>"
        created = client.post("/api/knowledge/articles", {"title": "Long", "body": body}, format="json")
        assert created.status_code == 201, created.content[:300]
        grown = {"body": body + "<p>" + "c" * 50 * KB + "</p>"}
        longer = client.patch(f"/api/knowledge/articles/{created.json()['id']}", grown, format="json")
        assert longer.status_code == 402 and longer.json()["code"] == "quota_exceeded"
        too_big = client.post("/api/knowledge/articles", {"title": "Big", "body": body}, format="json")
        assert too_big.status_code == 402
        with workspace_scope(workspace.pk):
            assert ArticleFile.objects.count() == 1
            assert sorted(Article.objects.values_list("title", flat=True)) == ["Doc", "Long"]
            assert Article.objects.get(title="Long").body_bytes == len(body.encode())
        # What the plan's usage shows is the same count, rounded up to whole megabytes.
        assert _limits(workspace)["kb_storage_mb"]["used"] == 1
        # A shorter text frees room.
        shorter = client.patch(f"/api/knowledge/articles/{created.json()['id']}", {"body": "<p>ok</p>"}, format="json")
        assert shorter.status_code == 200
        assert self._upload(client, article, 300 * KB, name="more.txt").status_code == 201
        # Deleting frees it too, and the plan's (cached) usage shows it at once.
        assert client.delete(f"/api/knowledge/articles/{created.json()['id']}").status_code == 204
        assert _limits(workspace)["kb_storage_mb"]["used"] == 1  # the files' 900 KB (now in the cached read)
        assert client.delete(f"/api/knowledge/articles/{article.pk}").status_code == 204
        assert _limits(workspace)["kb_storage_mb"]["used"] == 0

    def test_a_plan_that_allows_overage_takes_the_upload(self, owner, workspace, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        put_on_plan(workspace, plan_make(kb_storage_mb=0, overage="allow"))
        article = ArticleFactory(workspace=workspace, actor=owner, title="Doc", body="<p>x</p>")
        assert self._upload(client_for(owner), article, 10 * KB).status_code == 201


@pytest.mark.django_db(transaction=True)
def test_20_concurrent_writers_never_pass_the_storage_limit(workspace, owner):
    """20 threads, each its own PostgreSQL connection, each adding 100 KiB of article text at once to
    a 1 MiB plan: the workspace row's lock orders the checks, so exactly 10 fit and 10 are refused."""
    put_on_plan(workspace, plan_make(kb_storage_mb=1))
    body = "<p>" + "a" * (100 * KB - 7) + "</p>"
    start, created, refused = threading.Barrier(20), [], []

    def write(n: int):
        try:
            start.wait()
            with workspace_scope(workspace.pk):
                created.append(article_create(workspace=workspace, actor=owner, title=f"A{n}", body=body).pk)
        except QuotaLimitReached as exc:
            refused.append(exc.code)
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=write, args=(n,)) for n in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (len(created), len(refused)) == (10, 10) and set(refused) == {"quota_exceeded"}
    with workspace_scope(workspace.pk):
        assert kb_storage_bytes(workspace=workspace) == 10 * 100 * KB <= 1024 * KB


@pytest.mark.django_db(transaction=True)
def test_a_held_limit_check_does_not_stop_the_workspaces_other_writes(workspace, owner):
    """While a long write holds the check's lock (an import of many articles), a customer's message
    still goes in: the lock is NO KEY UPDATE, which the foreign key's KEY SHARE does not wait for."""
    put_on_plan(workspace, plan_make(kb_storage_mb=1))
    holding, release, outcome = threading.Event(), threading.Event(), []

    def long_import():
        try:
            with transaction.atomic(), workspace_scope(workspace.pk):
                article_create(workspace=workspace, actor=owner, title="First of many", body="<p>x</p>")
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    def customer_writes():
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                ConversationFactory(workspace=workspace)
            outcome.append("stored")
        except OperationalError as exc:
            outcome.append(type(exc).__name__)
        finally:
            connection.close()

    importer = threading.Thread(target=long_import)
    importer.start()
    assert holding.wait(10)
    writer = threading.Thread(target=customer_writes)
    writer.start()
    writer.join()
    release.set()
    importer.join()
    assert outcome == ["stored"]


class ChainFollowUpQuotaTests:
    def _ai_step_due(self, workspace, make_agent):
        agent = make_agent()
        asked = CustomerMessageFactory(workspace=workspace, external_chat_id="chat-ai", text="Do you ship?")
        conversation = asked.conversation
        conversation.agent = agent
        with workspace_scope(workspace.pk):
            conversation.save()
        chain = ChainFactory(workspace=workspace)
        ChainStepFactory(
            chain=chain, workspace=workspace, delay_minutes=0, kind=ChainStep.Kind.AI, template="", ai_instruction="Hi"
        )
        with workspace_scope(workspace.pk):
            run = automations.chain_start(chain=chain, conversation=conversation, started_by="manual")
        return run

    def _run_due(self, workspace):
        now = datetime.now(UTC)
        with workspace_scope(workspace.pk):
            for _, row_id in automations.chain_steps_claim(now=now):
                automations.chain_step_run(row_id=row_id, now=now)

    def test_an_ai_follow_up_takes_one_ai_reply(self, workspace, make_agent):
        put_on_plan(workspace, plan_make(replies=5))
        run = self._ai_step_due(workspace, make_agent)
        self._run_due(workspace)
        with workspace_scope(workspace.pk):
            assert ChainRunStep.objects.get(run=run).status == DueStatus.DONE
        assert _limits(workspace)["ai_replies_per_month"]["used"] == 1

    def test_a_used_up_quota_fails_the_step_visibly_and_sends_nothing(self, workspace, make_agent):
        put_on_plan(workspace, plan_make(replies=1))
        quota_consume(workspace=workspace)
        run = self._ai_step_due(workspace, make_agent)
        self._run_due(workspace)
        with workspace_scope(workspace.pk):
            row = ChainRunStep.objects.get(run=run)
            run.refresh_from_db()
            assert not Message.objects.filter(metadata__automation__run=run.pk).exists()
        assert row.status == DueStatus.FAILED and row.error.startswith("quota_exceeded: ")
        assert "plan" in row.error
        assert run.status == ChainRun.Status.FAILED and run.stop_reason.startswith("quota_exceeded")
        assert _limits(workspace)["ai_replies_per_month"]["used"] == 1
        # The run's timeline in the API says so.
        runs = client_for(run.chain.workspace.memberships.first().user).get(f"/api/chains/{run.chain_id}/runs").json()
        listed = runs["results"] if isinstance(runs, dict) else runs
        assert "quota_exceeded" in str(listed[0])

    def test_a_follow_up_that_cannot_be_written_gives_its_reply_back(self, workspace):
        put_on_plan(workspace, plan_make(replies=5))
        chain = ChainFactory(workspace=workspace)  # no agent anywhere: nobody can write it
        ChainStepFactory(chain=chain, workspace=workspace, delay_minutes=0, kind=ChainStep.Kind.AI, template="")
        with workspace_scope(workspace.pk):
            run = automations.chain_start(
                chain=chain, conversation=ConversationFactory(workspace=workspace), started_by="manual"
            )
        self._run_due(workspace)
        with workspace_scope(workspace.pk):
            assert ChainRunStep.objects.get(run=run).status == DueStatus.FAILED
        assert _limits(workspace)["ai_replies_per_month"]["used"] == 0

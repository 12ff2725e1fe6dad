"""Unanswered-question mining: the three signals record the customer's question as they happen (the
processor with the offline model, a handoff, a rejected reply), clustering by meaning (also across
English and Russian), and the API: list, period, dismiss, resolve, tenancy."""

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from unittest import mock

import numpy as np
import pytest
from django.db import connection
from django.utils import timezone

from agent_platform.tenancy import workspace_scope
from conversations import services
from conversations.models import Message, UnansweredCluster, UnansweredQuestion
from conversations.tasks import unanswered_cluster_task
from tests.accounts.factories import UserFactory
from tests.conversations.flow import ingest, process
from tests.knowledge.factories import ArticleFactory

pytestmark = pytest.mark.django_db
UNANSWERED = "/api/statistics/unanswered"
Reason = UnansweredQuestion.Reason


def cosine(a, b) -> float:
    return 1 - float(a @ b) / float(np.linalg.norm(a) * np.linalg.norm(b))


def questions(workspace) -> list[UnansweredQuestion]:
    with workspace_scope(workspace.pk):
        return list(UnansweredQuestion.objects.order_by("id"))


def cluster_all(workspace) -> None:
    """What the clustering tasks queued on commit do, in order."""
    for question in questions(workspace):
        unanswered_cluster_task(workspace.pk, question.pk)


def record(workspace, text, *, chat, reason=Reason.LOW_SCORE):
    message, _ = ingest(workspace, text, chat=chat)
    with workspace_scope(workspace.pk):
        return services.unanswered_record(conversation=message.conversation, messages=[message], reason=reason)


class SignalTests:
    def test_a_question_the_knowledge_base_cannot_answer_is_recorded(self, workspace, make_agent, kb_article):
        kb_article()
        make_agent()
        message, _ = ingest(workspace, "Do you sell gift cards for birthdays?")
        reply = process(workspace, message.conversation_id)
        knowledge = next(step for step in reply.trace if step["step"] == "knowledge")
        assert not any(chunk["relevance"] == "high" for chunk in knowledge["chunks"])
        [question] = questions(workspace)
        assert question.message_id == message.pk and question.reasons == [Reason.LOW_SCORE]
        assert question.text == "Do you sell gift cards for birthdays?"

    def test_small_talk_is_not_recorded(self, workspace, make_agent):
        make_agent()
        for n, text in enumerate(["hello", "thanks a lot", "Price?"]):
            message, _ = ingest(workspace, text, chat=f"chat-{n}")
            process(workspace, message.conversation_id)
        assert [q.text for q in questions(workspace)] == ["Price?"]  # a question, however short

    def test_a_grounded_question_is_not_recorded(self, workspace, make_agent, kb_article):
        kb_article()
        make_agent()
        message, _ = ingest(workspace, "How long does delivery take?")
        reply = process(workspace, message.conversation_id)
        assert "3 business days" in reply.text
        assert questions(workspace) == []

    def test_a_handoff_records_the_customers_latest_message(self, workspace, make_agent, owner):
        make_agent(handoff_keywords=["operator"])
        message, _ = ingest(workspace, "My invoice is wrong, I want an operator")
        process(workspace, message.conversation_id)
        [question] = questions(workspace)
        assert question.message_id == message.pk and question.reasons == [Reason.HANDOFF]
        # A person taking it over by hand later adds nothing new for the same message.
        with workspace_scope(workspace.pk):
            services.conversation_handoff(conversation=message.conversation, user=owner)
        assert len(questions(workspace)) == 1

    def test_a_rejected_reply_adds_its_reason_to_the_same_question(self, workspace, make_agent, owner):
        make_agent(approval_required=True)
        message, _ = ingest(workspace, "Can I pay with cryptocurrency?")
        reply = process(workspace, message.conversation_id)
        assert reply.status == Message.Status.PENDING_APPROVAL
        with workspace_scope(workspace.pk):
            services.reply_reject(message=reply, user=owner, reason="made up")
        [question] = questions(workspace)
        assert question.message_id == message.pk
        assert question.reasons == [Reason.LOW_SCORE, Reason.REJECTED]  # one question, two signals

    def test_a_rejected_grounded_reply_is_recorded(self, workspace, make_agent, kb_article, owner):
        kb_article()
        make_agent(approval_required=True)
        message, _ = ingest(workspace, "How long does delivery take?")
        reply = process(workspace, message.conversation_id)
        assert questions(workspace) == []
        with workspace_scope(workspace.pk):
            services.reply_reject(message=reply, user=owner)
        assert [q.reasons for q in questions(workspace)] == [[Reason.REJECTED]]

    def test_playground_questions_are_the_teams_not_recorded(self, workspace, make_agent, owner):
        agent = make_agent()
        with workspace_scope(workspace.pk):
            message = services.playground_message(agent=agent, user=owner, text="Do you sell gift cards?")
        reply = process(workspace, message.conversation_id)
        assert reply.status == Message.Status.SENDING  # answered (with no knowledge), not recorded
        assert questions(workspace) == []

    def test_clustering_is_queued_after_the_commit(self, workspace, django_capture_on_commit_callbacks):
        message, _ = ingest(workspace, "Do you sell gift cards?")
        sending = mock.patch("agent_platform.celery.app.send_task")
        with sending as send_task, django_capture_on_commit_callbacks(execute=True), workspace_scope(workspace.pk):
            question = services.unanswered_record(
                conversation=message.conversation, messages=[message], reason=Reason.LOW_SCORE
            )
        send_task.assert_called_once_with(
            "conversations.tasks.unanswered_cluster_task",
            args=(workspace.pk, question.pk),
            countdown=None,
            ignore_result=True,
        )


class ClusteringTests:
    def test_paraphrases_join_one_cluster_and_other_questions_do_not(self, workspace):
        for chat, text in enumerate(
            [
                "How long does delivery to Berlin take?",
                "When will my order arrive in Berlin?",
                "Сколько идет доставка в Берлин?",
                "Как долго доставляют заказ в Берлин?",
                "Do you accept payment by PayPal?",
                "Можно оплатить через PayPal?",
            ]
        ):
            record(workspace, text, chat=f"chat-{chat}")
        cluster_all(workspace)
        with workspace_scope(workspace.pk):
            by_text = {q.text: q.cluster for q in UnansweredQuestion.objects.select_related("cluster")}
            clusters = list(UnansweredCluster.objects.order_by("id"))
        assert len(clusters) == 2
        delivery, paypal = clusters
        assert delivery.question_count == 4
        # The title is the most typical wording: the question nearest the centroid (the mean of the four).
        with workspace_scope(workspace.pk):
            members = list(UnansweredQuestion.objects.filter(cluster=delivery))
        mean = np.mean([np.array(q.embedding) for q in members], axis=0)
        assert np.allclose(delivery.centroid, mean, atol=1e-5)
        nearest = min(members, key=lambda q: cosine(np.array(q.embedding), mean))
        assert delivery.title == nearest.text
        assert paypal.question_count == 2
        assert by_text["Как долго доставляют заказ в Берлин?"] == delivery
        assert by_text["Можно оплатить через PayPal?"] == paypal

    def test_a_question_clusters_once(self, workspace):
        question = record(workspace, "Do you sell gift cards?", chat="c1")
        unanswered_cluster_task(workspace.pk, question.pk)
        unanswered_cluster_task(workspace.pk, question.pk)  # a task delivered twice
        with workspace_scope(workspace.pk):
            assert UnansweredCluster.objects.get().question_count == 1

    def test_a_question_whose_clustering_was_lost_is_queued_again(self, workspace, django_capture_on_commit_callbacks):
        question = record(workspace, "Do you sell gift cards?", chat="c1")
        sending = mock.patch("agent_platform.celery.app.send_task")
        with sending as send_task, django_capture_on_commit_callbacks(execute=True):
            assert services.stuck_work_recover()["reclustered_questions"] == 0  # its task may still run
            UnansweredQuestion.objects.unscoped_across_workspaces().filter(pk=question.pk).update(
                created_at=timezone.now() - timedelta(minutes=6)
            )
            assert services.stuck_work_recover()["reclustered_questions"] == 1
        send_task.assert_called_once_with(
            "conversations.tasks.unanswered_cluster_task",
            args=(workspace.pk, question.pk),
            countdown=None,
            ignore_result=True,
        )
        unanswered_cluster_task(workspace.pk, question.pk)
        assert services.stuck_work_recover()["reclustered_questions"] == 0

    def test_the_list_is_live_a_clustered_question_and_a_dismissal_publish_after_commit(
        self, workspace, owner, django_capture_on_commit_callbacks
    ):
        question = record(workspace, "Do you sell gift cards?", chat="c1")
        expected = (f"ws.{workspace.pk}", "statistics.updated", {"counters": ["unanswered_questions"]})
        with mock.patch("agent_platform.realtime.publish_now") as sent:
            with django_capture_on_commit_callbacks(execute=True):
                unanswered_cluster_task(workspace.pk, question.pk)
            assert [call.args for call in sent.call_args_list] == [expected]
            with django_capture_on_commit_callbacks(execute=True), workspace_scope(workspace.pk):
                services.unanswered_dismiss(cluster=UnansweredCluster.objects.get(), user=owner)
            assert [call.args for call in sent.call_args_list] == [expected, expected]

    def test_a_dismissed_cluster_takes_no_new_questions(self, workspace, owner):
        record(workspace, "Do you sell gift cards?", chat="c1")
        cluster_all(workspace)
        with workspace_scope(workspace.pk):
            services.unanswered_dismiss(cluster=UnansweredCluster.objects.get(), user=owner)
        question = record(workspace, "Can I buy a gift card?", chat="c2")
        unanswered_cluster_task(workspace.pk, question.pk)
        with workspace_scope(workspace.pk):
            assert list(UnansweredCluster.objects.order_by("id").values_list("status", "question_count")) == [
                ("dismissed", 1),
                ("open", 1),
            ]


@pytest.mark.django_db(transaction=True)
def test_similar_questions_clustered_at_once_start_one_cluster(workspace):
    """Six paraphrases clustered by six workers at the same moment: the workspace's advisory lock
    makes the first start the cluster and the others join it (without it each would start its own)."""
    texts = [
        "Do you sell gift cards?",
        "Can I buy a gift card?",
        "Are gift cards available?",
        "Продаёте подарочные карты?",
        "Можно купить подарочную карту?",
        "Do you have gift cards for sale?",
    ]
    ids = [record(workspace, text, chat=f"c{n}").pk for n, text in enumerate(texts)]

    def cluster(question_id):
        try:
            unanswered_cluster_task(workspace.pk, question_id)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        list(pool.map(cluster, ids))
    with workspace_scope(workspace.pk):
        [only] = UnansweredCluster.objects.all()
        assert only.question_count == 6 == UnansweredQuestion.objects.filter(cluster=only).count()


@pytest.fixture
def mined(workspace):
    """Three delivery questions (one of them 20 days old, one also a handoff) and one about PayPal."""
    for chat, text in enumerate(
        ["How long does delivery to Berlin take?", "When will my order arrive in Berlin?", "Do you accept PayPal?"]
    ):
        record(workspace, text, chat=f"chat-{chat}")
    old = record(workspace, "Сколько идет доставка в Берлин?", chat="chat-old", reason=Reason.HANDOFF)
    with workspace_scope(workspace.pk):
        services.unanswered_record(conversation=old.conversation, messages=[old.message], reason=Reason.LOW_SCORE)
        UnansweredQuestion.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=20))
    cluster_all(workspace)
    with workspace_scope(workspace.pk):
        return list(UnansweredCluster.objects.order_by("id"))


class ApiTests:
    def test_clusters_by_count_with_examples_and_reasons(self, mined, member_client):
        body = member_client.get(UNANSWERED).json()
        assert body["count"] == 2
        delivery, paypal = body["results"]
        assert (delivery["id"], delivery["count"], delivery["total"]) == (mined[0].pk, 3, 3)
        assert delivery["reasons"] == {"low_score": 3, "handoff": 1, "rejected": 0}
        assert [e["text"] for e in delivery["examples"]] == [
            "When will my order arrive in Berlin?",
            "How long does delivery to Berlin take?",
            "Сколько идет доставка в Берлин?",
        ]
        assert all(isinstance(e["conversation"], int) for e in delivery["examples"])
        assert (paypal["title"], paypal["count"], paypal["status"]) == ("Do you accept PayPal?", 1, "open")

    def test_the_period_counts_only_its_questions(self, mined, member_client):
        delivery, _ = member_client.get(UNANSWERED, {"period": "7d"}).json()["results"]
        assert (delivery["count"], delivery["total"]) == (2, 3)
        assert delivery["reasons"] == {"low_score": 2, "handoff": 0, "rejected": 0}
        assert len(delivery["examples"]) == 2
        response = member_client.get(UNANSWERED, {"period": "yesterday"})
        assert response.status_code == 400 and "period" in response.json()["errors"]

    def test_a_reason_added_after_clustering_is_counted_and_counts_equal_a_direct_count(
        self, mined, member_client, workspace
    ):
        first = questions(workspace)[0]
        assert first.cluster_id == mined[0].pk and first.reasons == [Reason.LOW_SCORE]
        with workspace_scope(workspace.pk):
            services.unanswered_record(
                conversation=first.conversation, messages=[first.message], reason=Reason.REJECTED
            )
        body = member_client.get(UNANSWERED, {"period": "all"}).json()["results"]
        for cluster in body:
            with workspace_scope(workspace.pk):
                rows = UnansweredQuestion.objects.filter(cluster_id=cluster["id"])
                direct = {r: rows.filter(reasons__contains=[r]).count() for r in Reason.values}
                assert cluster["count"] == cluster["total"] == rows.count()
            assert cluster["reasons"] == direct
        assert body[0]["reasons"]["rejected"] == 1

    def test_dismiss(self, mined, member_client):
        response = member_client.post(f"{UNANSWERED}/{mined[1].pk}/dismiss")
        assert response.status_code == 200 and response.json()["status"] == "dismissed"
        assert [c["id"] for c in member_client.get(UNANSWERED).json()["results"]] == [mined[0].pk]
        dismissed = member_client.get(UNANSWERED, {"status": "dismissed"}).json()["results"]
        assert [c["id"] for c in dismissed] == [mined[1].pk]

    def test_resolve_with_an_article(self, mined, member_client, workspace, owner):
        article = ArticleFactory(workspace=workspace, actor=owner, title="Delivery to Germany")
        response = member_client.post(f"{UNANSWERED}/{mined[0].pk}/resolve", {"article": article.pk}, format="json")
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["article"]) == ("resolved", article.pk)
        assert response.json()["article_title"] == "Delivery to Germany"
        resolved = member_client.get(UNANSWERED, {"status": "resolved", "period": "all"}).json()["results"]
        assert [(c["id"], c["count"]) for c in resolved] == [(mined[0].pk, 3)]

    def test_resolve_needs_an_article_of_this_workspace(self, mined, member_client, other_workspace):
        foreign = ArticleFactory(workspace=other_workspace, title="Theirs")
        response = member_client.post(f"{UNANSWERED}/{mined[0].pk}/resolve", {"article": foreign.pk}, format="json")
        assert response.status_code == 400 and response.json()["code"] == "unanswered_article_missing"
        huge = member_client.post(f"{UNANSWERED}/{mined[0].pk}/resolve", {"article": 2**64}, format="json")
        assert huge.status_code == 400 and "article" in huge.json()["errors"]  # not a database error
        with workspace_scope(mined[0].workspace_id):
            mined[0].refresh_from_db()
        assert mined[0].status == "open"

    def test_another_workspace_sees_nothing(self, mined, stranger_client, other_workspace):
        assert stranger_client.get(UNANSWERED, {"period": "all", "status": "all"}).json()["count"] == 0
        assert stranger_client.post(f"{UNANSWERED}/{mined[0].pk}/dismiss").status_code == 404
        foreign = ArticleFactory(workspace=other_workspace, title="Theirs")
        response = stranger_client.post(f"{UNANSWERED}/{mined[0].pk}/resolve", {"article": foreign.pk}, format="json")
        assert response.status_code == 404
        with workspace_scope(mined[0].workspace_id):
            assert UnansweredCluster.objects.filter(status="open").count() == 2


def test_the_back_office_lists_clusters_and_questions(client, mined):
    client.force_login(UserFactory(prefix="staff", is_staff=True, is_superuser=True))
    clusters = client.get("/admin/conversations/unansweredcluster/?q=PayPal&status__exact=open")
    assert clusters.status_code == 200 and "Do you accept PayPal?" in clusters.content.decode()
    assert client.get(f"/admin/conversations/unansweredcluster/{mined[0].pk}/change/").status_code == 200
    unclustered = client.get("/admin/conversations/unansweredquestion/?cluster__isempty=1")
    assert unclustered.status_code == 200 and "0 unanswered questions" in unclustered.content.decode()


def test_anonymous_is_refused(client):
    assert client.get(UNANSWERED).status_code == 401
    assert client.post(f"{UNANSWERED}/1/dismiss").status_code == 401

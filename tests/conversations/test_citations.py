"""A reply cites only the passages it used: the offline model's one passage, a model's [n] markers
(taken out of the text the customer gets), nothing for "I don't know"; a file's passage by its name."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agent_platform.tenancy import workspace_scope
from conversations.services.prompt import reply_citations
from integrations.ai.types import Passage
from knowledge import services as knowledge
from tests.conversations.flow import ingest, process
from tests.knowledge.conftest import run_indexing

pytestmark = pytest.mark.django_db


def steps_of(reply) -> dict:
    return {step["step"]: step for step in reply.trace}


RETURNS = "<p>You can return any unused item within 30 days for a full refund.</p>"


def test_the_offline_reply_cites_the_one_passage_it_answered_from(workspace, make_agent, kb_article):
    delivery = kb_article()
    kb_article(title="Delivery abroad", body="<p>Delivery abroad takes two weeks and costs 30 euros.</p>")
    make_agent()
    message, _ = ingest(workspace, "How long does delivery take across Spain?")
    reply = process(workspace, message.conversation_id)
    steps = steps_of(reply)
    assert len(steps["knowledge"]["chunks"]) == 2  # both retrieved…
    assert [c["article_id"] for c in steps["generate"]["citations"]] == [delivery.pk]  # …one used
    assert steps["generate"]["citations"][0]["citation"] == "Delivery times"
    assert "3 business days" in reply.text and "[" not in reply.text


def test_an_off_topic_question_gets_i_dont_know_and_no_citations(workspace, make_agent, kb_article):
    kb_article()
    make_agent()
    message, _ = ingest(workspace, "Who won the football world cup?")
    reply = process(workspace, message.conversation_id)
    steps = steps_of(reply)
    assert reply.text.startswith("I'm sorry, I don't have information")
    assert steps["knowledge"]["chunks"] == []  # the relevance floor: nothing close enough
    assert steps["generate"]["citations"] == []


def test_a_models_markers_say_what_it_used_and_leave_the_text(workspace, make_agent, kb_article, fake_ai):
    kb_article()
    kb_article(title="Returns", body=RETURNS)
    make_agent(model_provider="openai", model_id="gpt-4.1-mini")
    fake_ai.reply_text = "Yes, within 30 days [2]. Our catalogue [7] has more."
    message, _ = ingest(workspace, "Can I return an unused item, and how fast is delivery?")
    reply = process(workspace, message.conversation_id)
    steps = steps_of(reply)
    retrieved = steps["knowledge"]["chunks"]
    assert len(retrieved) == 2
    assert [c["chunk_id"] for c in steps["generate"]["citations"]] == [retrieved[1]["chunk_id"]]
    assert reply.text == "Yes, within 30 days. Our catalogue [7] has more.", "a number no passage has stays"


def test_a_file_passage_is_cited_by_the_files_name(workspace, owner, make_agent):
    with workspace_scope(workspace.pk):
        article = knowledge.article_create(workspace=workspace, actor=owner, title="Policies", status="published")
        knowledge.article_file_upload(
            article=article,
            upload=SimpleUploadedFile("returns.md", b"# Returns\n\nYou can return any unused item within 30 days."),
            actor=owner,
        )
    run_indexing(workspace.pk)
    make_agent()
    message, _ = ingest(workspace, "Can I return an unused item?")
    reply = process(workspace, message.conversation_id)
    cited = steps_of(reply)["generate"]["citations"]
    assert [c["citation"] for c in cited] == ["returns.md › Returns"]
    assert "“returns.md”" in reply.text


def test_reply_citations_reads_the_markers():
    passages = [Passage(text="a", article_title="A"), Passage(text="b", article_title="B")]
    text, cited = reply_citations("One [2]. Two [1, 2].\nThree [2][1] and [3].", passages)
    assert text == "One. Two.\nThree and [3]."
    assert [p.article_title for p in cited] == ["B", "A"]
    assert reply_citations("I don't know.", passages) == ("I don't know.", [])

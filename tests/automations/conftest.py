"""Fixtures of other apps' tests the automations tests use: the local Kommo (a fresh one per test, a
workspace connected to it), and the conversations tests' agent and knowledge article."""

from tests.conversations.conftest import kb_article, make_agent  # noqa: F401 (fixtures)
from tests.integrations.kommo.conftest import account, connected, kommo  # noqa: F401 (fixtures)

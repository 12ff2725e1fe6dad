"""The conversations tests' agent and knowledge fixtures, for the automations that answer like an agent."""

from tests.conversations.conftest import kb_article, make_agent  # noqa: F401 (fixtures)

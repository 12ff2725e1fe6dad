"""Local fake AI servers speaking the real wire formats (see `server.FakeAIServer`)."""

from integrations.ai.fakes.server import FakeAIServer

__all__ = ["FakeAIServer"]

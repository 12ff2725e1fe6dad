"""The local Kommo: a fake Kommo (amoCRM) speaking the real wire formats — OAuth, REST API v4,
account webhooks, Salesbot widget_request/continue, the Chats API — for the tests and the offline
demo. `FakeKommo` (in `fake.py`) is the control API; the module docstrings say what each part can
and cannot do."""

from integrations.kommo.fakes.fake import FakeKommo
from integrations.kommo.fakes.state import FakeAccount

__all__ = ["FakeAccount", "FakeKommo"]

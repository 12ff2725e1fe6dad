"""The provider interface's data: one request shape and one result shape for every provider."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, runtime_checkable

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True, kw_only=True)
class Passage:
    """A knowledge-base passage on its way from search to the prompt: its text, where it comes from
    (what a reply cites) and how well it matched. Knowledge search returns these (its hits add how
    they were found); the prompt quotes them; the offline provider answers from them."""

    text: str
    article_title: str = ""
    heading: str = ""
    article_id: int | None = None
    file_id: int | None = None
    file_name: str | None = None
    page: int | None = None
    chunk_id: int | None = None
    char_start: int = 0
    char_end: int = 0
    score: float = 0.0
    relevance: str = ""  # high | medium: what a person reads (knowledge/relevance.py)
    tokens: int = 0

    @property
    def source_title(self) -> str:
        """What the passage comes from, by name: its file (a file attached to an article is a
        document of its own, "returns.md"), else its article."""
        return self.file_name or self.article_title

    @property
    def citation(self) -> str:
        """Source, p. N › heading: where a reader finds the passage."""
        where = [self.source_title + (f", p. {self.page}" if self.file_name and self.page else "")]
        if self.heading and self.heading not in (self.article_title, self.file_name):
            where.append(self.heading)
        return " › ".join(where)


@dataclass
class GenerationRequest:
    messages: list[Message]
    model: str = ""  # the registry's model_id; empty: AI_DEFAULT_MODEL
    provider: str = ""  # openai | gemini | anthropic | openai_compatible | offline; empty: AI_DEFAULT_PROVIDER
    temperature: float | None = None
    max_tokens: int | None = None
    # A JSON Schema (an object schema) for structured output: the result's `parsed` follows it.
    json_schema: dict[str, Any] | None = None
    json_schema_name: str = "result"
    timeout: float | None = None  # seconds for one attempt; None means AI_REQUEST_TIMEOUT
    # The knowledge passages the caller already put into the prompt; the offline provider answers from these.
    passages: list[Passage] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.messages = [m if isinstance(m, Message) else Message(**m) for m in self.messages]

    @property
    def system_prompt(self) -> str:
        return "\n\n".join(m.content for m in self.messages if m.role == "system")

    @property
    def dialogue(self) -> list[Message]:
        return [m for m in self.messages if m.role != "system"]


@dataclass(frozen=True)
class Usage:
    input_tokens: int = 0
    output_tokens: int = 0
    cached_tokens: int = 0  # the part of input_tokens served from the provider's prompt cache

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens


@dataclass
class GenerationResult:
    text: str
    model: str
    provider: str
    usage: Usage = field(default_factory=Usage)
    parsed: Any = None  # the decoded JSON when the request had a json_schema
    finish_reason: str = ""  # normalised: stop | length | content_filter | tool_calls | other
    latency_ms: int = 0
    provider_request_id: str = ""
    attempts: int = 1
    fallback_used: bool = False
    # Set when another model answered than the one asked for: the one asked for ("provider:model_id")
    # and why (`no_credentials`: no key for its provider; `fallback`: it failed, the fallback answered).
    substituted_for: str = ""
    substitution_reason: str = ""


@dataclass(frozen=True)
class ModelRef:
    provider: str
    model_id: str
    name: str  # the registry's display name, or the id when the registry lacks the model


@dataclass(frozen=True)
class ModelStatus:
    """Whether a chosen chat model can answer in a workspace, and what answers when it cannot. No key,
    only where one comes from: `credentials` is workspace | platform | none | not_needed."""

    chosen: ModelRef
    provider_name: str
    credentials: str
    problem: str = ""  # "" | no_credentials | unknown_model | not_a_chat_model
    answers_instead: ModelRef | None = None  # None: the chosen model answers (or, with a problem, replies fail)

    @property
    def ready(self) -> bool:
        return not self.problem


class ChatProvider(Protocol):
    """One provider's chat generation: a single attempt, raising the typed errors of
    `integrations.ai.exceptions` (retries live in `integrations.ai.reliability`)."""

    name: str

    def generate(self, request: GenerationRequest) -> GenerationResult: ...


@runtime_checkable
class EmbeddingModel(Protocol):
    """A model that turns text into vectors (`integrations.ai.embedding_models` has them all)."""

    key: str  # the registry key, stored next to every vector it produced
    dimensions: int

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors for passages to be stored (models add their passage prefix, if any)."""

    def embed_query(self, text: str) -> list[float]:
        """The vector of a search query (models add their query prefix, if any)."""

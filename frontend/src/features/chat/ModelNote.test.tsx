import { render, screen } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { beforeEach, describe, expect, it } from "vitest";
import type { Message } from "../../api/types";
import i18n from "../../i18n";
import { ModelNote } from "./ModelNote";

const offline = { provider: "offline", model_id: "offline-extractive", name: "Offline (extractive, no network)" };
const reply = (metadata: Message["metadata"]) => ({ id: 1, author: "ai", direction: "out", text: "Hi", metadata }) as Message;

function show(message: Message) {
  render(<RouterProvider router={createMemoryRouter([{ path: "/", element: <ModelNote message={message} /> }])} />);
}

describe("The note under a reply written by another model", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("names the model that answered, the one it stood in for, and where to add the key", () => {
    show(reply({ model: { ...offline, substituted_for: { provider: "openai", model_id: "gpt-4o-mini", name: "GPT-4o mini" }, reason: "no_credentials" } }));
    expect(screen.getByTestId("model-note")).toHaveTextContent("Answered by Offline (extractive, no network): no OpenAI key for GPT-4o mini.");
    expect(screen.getByRole("link")).toHaveAttribute("href", "/settings?tab=ai");
  });

  it("says when the fallback model answered", () => {
    const claude = { provider: "anthropic", model_id: "claude-haiku-4-5", name: "Claude Haiku 4.5" };
    show(reply({ model: { ...claude, substituted_for: { provider: "openai", model_id: "gpt-4o", name: "GPT-4o" }, reason: "fallback" } }));
    expect(screen.getByTestId("model-note")).toHaveTextContent("Answered by the fallback model Claude Haiku 4.5: GPT-4o failed.");
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
  });

  it("is absent when the agent's own model answered, or on a message without a model", () => {
    show(reply({ model: offline }));
    show(reply(undefined));
    expect(screen.queryByTestId("model-note")).not.toBeInTheDocument();
  });
});

import { render, screen } from "@testing-library/react";
import { createMemoryRouter, RouterProvider } from "react-router";
import { beforeEach, describe, expect, it } from "vitest";
import type { AIModel, ModelStatus } from "../../api/types";
import i18n from "../../i18n";
import { ModelStatusBadge, ModelStatusBanner } from "./ModelStatusBanner";
import { modelGroups } from "./modelStatus";

const noKey: ModelStatus = {
  chosen: { provider: "openai", model_id: "gpt-4o-mini", name: "GPT-4o mini" },
  provider_name: "OpenAI",
  credentials: "none",
  ready: false,
  problem: "no_credentials",
  answers_instead: { provider: "offline", model_id: "offline-extractive", name: "Offline (extractive, no network)" },
};
const ready: ModelStatus = { ...noKey, credentials: "workspace", ready: true, problem: "", answers_instead: null };

function show(element: React.ReactElement) {
  render(<RouterProvider router={createMemoryRouter([{ path: "/", element }])} />);
}

describe("The model status of an agent", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
  });

  it("says the chosen model has no key, what answers instead, and links to the AI credentials", () => {
    show(<ModelStatusBanner status={noKey} />);
    expect(screen.getByTestId("model-status")).toHaveTextContent(
      "GPT-4o mini cannot answer: this workspace has no OpenAI key, so Offline (extractive, no network) answers instead.",
    );
    expect(screen.getByRole("link", { name: "Add a key in Settings → AI credentials" })).toHaveAttribute("href", "/settings?tab=ai");
  });

  it("says nothing when the chosen model answers", () => {
    show(<ModelStatusBanner status={ready} />);
    expect(screen.queryByTestId("model-status")).not.toBeInTheDocument();
  });

  it("says replies fail for a model the registry lacks, with no key link", () => {
    show(<ModelStatusBanner status={{ ...noKey, problem: "unknown_model", credentials: "platform", answers_instead: null }} />);
    expect(screen.getByTestId("model-status")).toHaveTextContent("GPT-4o mini is not in the model registry: replies fail.");
    expect(screen.queryByRole("link")).not.toBeInTheDocument();
  });

  it("has a short badge for the agents list, the whole story in its title", () => {
    show(<ModelStatusBadge status={noKey} />);
    const badge = screen.getByTestId("model-status-badge");
    expect(badge).toHaveTextContent("No OpenAI key");
    expect(badge).toHaveAttribute("title", expect.stringContaining("Offline (extractive, no network) answers instead"));
  });

  it("in Russian too", async () => {
    await i18n.changeLanguage("ru");
    show(<ModelStatusBadge status={noKey} />);
    expect(screen.getByTestId("model-status-badge")).toHaveTextContent("Нет ключа OpenAI");
  });
});

describe("modelGroups", () => {
  it("groups the picker's models by provider, keeping their order", () => {
    const model = (provider: string, model_id: string) => ({ provider, model_id }) as AIModel;
    const groups = modelGroups([model("anthropic", "a"), model("anthropic", "b"), model("openai", "c")]);
    expect(groups.map(([provider, rows]) => [provider, rows.map((m) => m.model_id)])).toEqual([
      ["anthropic", ["a", "b"]],
      ["openai", ["c"]],
    ]);
  });
});

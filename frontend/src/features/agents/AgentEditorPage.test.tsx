import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { WorkspaceProvider } from "../workspaces/workspace";
import { AgentEditorPage } from "./AgentEditorPage";
import { json } from "../../test/http";

const agent = {
  id: 5,
  name: "Support",
  description: "",
  is_active: false,
  instructions: "",
  language: "auto",
  model_provider: "offline",
  model_id: "offline-extractive",
  temperature: 0.3,
  max_tokens: 800,
  response_delay_seconds: 0,
  response_delay_jitter_seconds: 0,
  approval_required: false,
  approval_timeout_minutes: null,
  approval_timeout_action: "handoff",
  working_hours: {},
  outside_hours_action: "answer",
  handoff_keywords: [],
  human_reply_pause_minutes: 60,
  max_ai_replies_per_conversation: null,
  fallback_message: "",
  channels: [],
  version: 1,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};
const models = [{ id: 1, provider: "offline", model_id: "offline-extractive", display_name: "Offline", context_window: 1, max_output_tokens: 1 }];
const problem = (errors: Record<string, string[]>) =>
  new Response(JSON.stringify({ type: "x", title: "t", status: 400, detail: "invalid", code: "validation_error", errors }), {
    status: 400,
    headers: { "Content-Type": "application/problem+json" },
  });

/** 130 versions, newest first, page-number paginated with absolute next links like the API's. */
function versionsPage(url: URL) {
  const all = Array.from({ length: 130 }, (_, i) => ({ number: 130 - i, reason: `Change ${130 - i}`, created_by: null, created_at: "2026-01-01T00:00:00Z" }));
  const page = Number(url.searchParams.get("page") ?? 1);
  const size = Number(url.searchParams.get("page_size"));
  const next = page * size < all.length ? `http://testserver${url.pathname}?page=${page + 1}&page_size=${size}` : null;
  return { count: all.length, next, previous: null, results: all.slice((page - 1) * size, page * size) };
}

describe("Agent editor", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url.includes("/api/ai/models")) return json(models);
      if (url.endsWith("/api/agents/5") && init?.method === "PATCH") return problem({ model_id: ["Unknown model."], name: ["Taken."] });
      if (url.endsWith("/api/agents/5")) return json(agent);
      if (url.includes("/api/agents/5/versions")) return json(versionsPage(new URL(url, "http://localhost")));
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderEditor() {
    const router = createMemoryRouter([{ path: "/agents/:id", element: <AgentEditorPage /> }], { initialEntries: ["/agents/5"] });
    const workspace = { id: 1, name: "Acme", role: "owner" } as unknown as Workspace;
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }

  it("checks fields locally, then shows the API's field errors beside them", async () => {
    renderEditor();
    const jitter = await screen.findByLabelText("Delay jitter (s)");
    await userEvent.clear(jitter);
    await userEvent.type(jitter, "5");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByText("Jitter cannot exceed the delay.")).toBeInTheDocument();
    expect(fetch.mock.calls.some(([, init]) => init?.method === "PATCH")).toBe(false);

    await userEvent.clear(jitter);
    await userEvent.type(jitter, "0");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Unknown model.")).toBeInTheDocument();
    expect(screen.getByText("Taken.")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
    const patch = fetch.mock.calls.find(([, init]) => init?.method === "PATCH")!;
    expect(JSON.parse(String(patch[1]!.body))).toMatchObject({ model_provider: "offline", model_id: "offline-extractive", working_hours: {} });
  });

  it("lists the versions page by page", { timeout: 15_000 }, async () => {
    renderEditor();
    await userEvent.click(await screen.findByRole("tab", { name: "Versions" }));
    await screen.findByText("Change 130");
    expect(screen.getByTestId("paging-count")).toHaveTextContent("Showing 100 of 130");
    expect(screen.queryByText("Change 30")).not.toBeInTheDocument();
    await userEvent.click(screen.getByText("Load more"));
    await screen.findByText("Change 1");
    expect(screen.getByTestId("paging-count")).toHaveTextContent("Showing 130 of 130");
    expect(screen.queryByText("Load more")).not.toBeInTheDocument();
    const requested = fetch.mock.calls.map(([url]) => String(url)).filter((url) => url.includes("/versions"));
    expect(requested).toEqual(["/api/agents/5/versions?page_size=100", "/api/agents/5/versions?page=2&page_size=100"]);
  });
});

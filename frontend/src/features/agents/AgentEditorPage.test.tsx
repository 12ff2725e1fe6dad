import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, Link, Outlet, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import { UnsavedChangesProvider } from "../../components/unsaved/UnsavedChanges";
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
  let patchAnswer: () => Response;
  const patches = () => fetch.mock.calls.filter(([, init]) => init?.method === "PATCH").map(([, init]) => JSON.parse(String(init!.body)) as Record<string, unknown>);
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    patchAnswer = () => json(agent);
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url.includes("/api/ai/models")) return json(models);
      if (url.endsWith("/api/agents/5") && init?.method === "PATCH") return patchAnswer();
      if (url.endsWith("/api/agents/5")) return json(agent);
      if (url.endsWith("/api/agents/5/channels")) return json({ channels: [] });
      if (url.endsWith("/api/agents/5/pipelines")) return json({ pipelines: [] });
      if (url.endsWith("/api/agents/5/knowledge-base")) return json({ category_ids: [] });
      if (url.endsWith("/api/agents/5/crm-access")) return json({ fields: [] });
      if (url.endsWith("/api/agents/channel-status")) return json({ channels: [{ channel: "whatsapp", via: "kommo", ready: false, problem: "kommo_not_connected" }] });
      if (url.includes("/api/agents/5/versions")) return json(versionsPage(new URL(url, "http://localhost")));
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  /** The editor inside the app's guard, with a page to leave to. */
  function renderEditor() {
    const shell = (
      <UnsavedChangesProvider>
        <Link to="/elsewhere">Elsewhere</Link>
        <Outlet />
      </UnsavedChangesProvider>
    );
    const router = createMemoryRouter(
      [{ element: shell, children: [{ path: "/agents/:id", element: <AgentEditorPage /> }, { path: "/elsewhere", element: <p>Another page</p> }] }],
      { initialEntries: ["/agents/5"] },
    );
    const workspace = { id: 1, name: "Acme", role: "owner" } as unknown as Workspace;
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }
  const tab = (name: string) => screen.getByRole("tab", { name: new RegExp(`^${name}`) });

  it("keeps edits across tabs and saves fields of two tabs with one Save, as one PATCH of what changed", async () => {
    renderEditor();
    const name = await screen.findByLabelText("Name");
    expect(screen.queryByRole("region", { name: "Changes to save" })).not.toBeInTheDocument();
    await userEvent.clear(name);
    await userEvent.type(name, "Support 2");
    expect(tab("Settings")).toHaveAccessibleName("Settings (changes to save)");
    await userEvent.click(tab("Channels"));
    await userEvent.click(await screen.findByLabelText("WhatsApp"));
    // WhatsApp comes through Kommo, which is not connected here: said at once, with the way to fix it.
    expect(screen.getByRole("alert")).toHaveTextContent("Messages from WhatsApp come through Kommo, which is not connected");
    await userEvent.click(tab("Settings"));
    expect(screen.getByLabelText("Name")).toHaveValue("Support 2");

    await userEvent.click(within(screen.getByRole("region", { name: "Changes to save" })).getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(patches()).toEqual([{ name: "Support 2", channels: ["whatsapp"], base_version: 1 }]);
  });

  it("checks fields locally, then shows the API's errors at their fields, opening the tab that has them", async () => {
    renderEditor();
    const jitter = await screen.findByLabelText("Delay jitter (s)");
    await userEvent.clear(jitter);
    await userEvent.type(jitter, "5");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByText("Jitter cannot exceed the delay.")).toBeInTheDocument();
    expect(patches()).toEqual([]);

    await userEvent.clear(jitter);
    await userEvent.type(jitter, "0");
    await userEvent.type(screen.getByLabelText("Name"), " bot");
    await userEvent.click(tab("Channels"));
    await userEvent.click(await screen.findByLabelText("Telegram"));
    patchAnswer = () => problem({ model_id: ["Unknown model."], name: ["Taken."], "channels.0": ["Not a channel."] });
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    // The channels tab holds an error too and stays open; the settings tab is marked.
    expect(await screen.findByText("Row 1: Not a channel.")).toBeInTheDocument();
    expect(tab("Settings")).toHaveAccessibleName("Settings (has errors)");
    await userEvent.click(tab("Settings"));
    expect(screen.getByText("Unknown model.")).toBeInTheDocument();
    expect(screen.getByText("Taken.")).toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveAttribute("aria-invalid", "true");
    expect(patches()).toEqual([{ name: "Support bot", channels: ["telegram"], base_version: 1 }]);
  });

  it("refuses to overwrite a teammate's newer save unseen, then overwrites on a second Save", async () => {
    renderEditor();
    await userEvent.type(await screen.findByLabelText("Instructions"), " Always.");
    const conflict = { type: "about:blank", title: "Changed by someone else", status: 409, detail: "…", code: "agent_edit_conflict", fields: ["instructions"], version: 4, saved_by: "olga@example.com" };
    patchAnswer = () => new Response(JSON.stringify(conflict), { status: 409, headers: { "Content-Type": "application/problem+json" } });
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText(/olga@example.com saved version 4 while you were editing, and it changed Instructions too/)).toBeInTheDocument();
    expect(screen.getByLabelText("Instructions")).toHaveValue(`${agent.instructions} Always.`);

    patchAnswer = () => json(agent);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(patches().map((body) => (body as { base_version: number }).base_version)).toEqual([1, 4]);
  });

  it("asks before leaving the page with changes; staying keeps them, Discard drops them", async () => {
    renderEditor();
    const name = await screen.findByLabelText("Name");
    await userEvent.type(name, " edited");
    await userEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
    const ask = await screen.findByRole("dialog", { name: "Discard your changes?" });
    await userEvent.click(within(ask).getByRole("button", { name: "Keep editing" }));
    expect(screen.getByLabelText("Name")).toHaveValue("Support edited");
    expect(screen.queryByText("Another page")).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Discard" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard" }));
    expect(screen.getByLabelText("Name")).toHaveValue("Support");
    await userEvent.click(screen.getByRole("link", { name: "Elsewhere" }));
    expect(await screen.findByText("Another page")).toBeInTheDocument();
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

import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { json, pageOf } from "../../test/http";
import { WorkspaceProvider } from "../workspaces/workspace";
import { PlaygroundPage } from "./PlaygroundPage";

const status = {
  chosen: { provider: "openai", model_id: "gpt-4o-mini", name: "GPT-4o mini" },
  provider_name: "OpenAI",
  credentials: "none",
  ready: false,
  problem: "no_credentials",
  answers_instead: { provider: "offline", model_id: "offline-extractive", name: "Offline (extractive, no network)" },
};
const agent = { id: 3, name: "Sales", model_provider: "openai", model_id: "gpt-4o-mini", model_status: status, channels: [], version: 1 };
const message = { id: 10, conversation: 7, author: "customer", direction: "in", text: "Hi", status: "received", source_timestamp: "2026-01-01T18:01:00Z", trace: [] };

describe("Playground", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const chatBodies = () =>
    fetch.mock.calls.filter(([input]) => String(input).endsWith("/api/playground/3/chat")).map(([, init]) => JSON.parse(String(init!.body)));

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/agents") return json(pageOf([agent], url));
      if (url.pathname === "/api/playground/3/chat") return json({ conversation: { id: 7 }, message, reply: null }, 202);
      if (url.pathname === "/api/conversations/7") return json({ id: 7, status: "open", messages: [message], has_older_messages: false });
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderPage() {
    const router = createMemoryRouter([{ path: "/playground", element: <PlaygroundPage /> }], { initialEntries: ["/playground"] });
    const workspace = { id: 1, name: "Acme", role: "owner", time_zone: "Europe/Madrid" } as unknown as Workspace;
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }

  async function send(text: string) {
    await userEvent.type(screen.getByLabelText("Your message"), text);
    await userEvent.click(screen.getByRole("button", { name: "Send" }));
  }

  it("sends every test message with both switches on by default, and off once switched off", async () => {
    renderPage();
    const hours = await screen.findByRole("switch", { name: "Ignore working hours" });
    const approval = screen.getByRole("switch", { name: "Skip approval" });
    expect(hours).toHaveAttribute("aria-checked", "true");
    expect(approval).toHaveAttribute("aria-checked", "true");
    await send("Hi");
    await waitFor(() => expect(chatBodies()).toHaveLength(1));
    expect(chatBodies()[0]).toEqual({ text: "Hi", ignore_working_hours: true, skip_approval: true });

    await userEvent.click(approval);
    expect(approval).toHaveAttribute("aria-checked", "false");
    await send("Again");
    await waitFor(() => expect(chatBodies()).toHaveLength(2));
    expect(chatBodies()[1]).toEqual({ text: "Again", ignore_working_hours: true, skip_approval: false, conversation_id: 7 });
  });

  it("warns that the agent's model has no key and what answers instead", async () => {
    renderPage();
    expect(await screen.findByTestId("model-status")).toHaveTextContent("GPT-4o mini cannot answer: this workspace has no OpenAI key");
    expect(screen.getByRole("link", { name: "Add a key in Settings → AI credentials" })).toHaveAttribute("href", "/settings?tab=ai");
  });
});

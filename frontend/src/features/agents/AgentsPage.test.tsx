import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { WorkspaceProvider } from "../workspaces/workspace";
import { stableOrdering } from "./api";
import { AgentsPage } from "./AgentsPage";
import { json, pageOf } from "../../test/http";

const agent = (n: number) => ({
  id: n,
  name: `Agent ${String(n).padStart(3, "0")}`,
  is_active: n % 2 === 0,
  model_id: "offline-extractive",
  channels: [],
  approval_required: false,
  version: 1,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
});

describe("stableOrdering", () => {
  it("adds name and creation time after the chosen sort, once each", () => {
    expect(stableOrdering("-is_active")).toBe("-is_active,name,created_at");
    expect(stableOrdering("-name")).toBe("-name,created_at");
    expect(stableOrdering()).toBe("name,created_at");
  });
});

describe("Agents list paging", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const listRequests = () =>
    fetch.mock.calls.map(([input]) => new URL(String(input), "http://localhost")).filter((url) => url.pathname === "/api/agents");

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    const agents = Array.from({ length: 150 }, (_, i) => agent(i + 1));
    fetch.mockReset();
    fetch.mockImplementation(async (input) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/ai/models") return json([]);
      if (url.pathname === "/api/agents") {
        const rows = url.searchParams.get("ordering")?.startsWith("-name") ? [...agents].reverse() : agents;
        return json(pageOf(rows, url));
      }
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("loads more agents at the end of the table and starts again from page 1 when the sort changes", { timeout: 15_000 }, async () => {
    const router = createMemoryRouter([{ path: "/agents", element: <AgentsPage /> }], { initialEntries: ["/agents"] });
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[{ id: 1, name: "Acme", role: "owner" } as unknown as Workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
    const table = await screen.findByRole("table");
    // Rows counted without role queries: those are slow on 150-row tables in jsdom.
    const rows = () => screen.getByRole("table").querySelectorAll("tbody tr");
    expect(rows()).toHaveLength(100);
    expect(screen.getByTestId("paging-count")).toHaveTextContent("Showing 100 of 150");
    expect(listRequests()[0].searchParams.get("ordering")).toBe("name,created_at");

    await userEvent.click(screen.getByText("Load more"));
    await within(table).findByText("Agent 150");
    expect(rows()).toHaveLength(150);
    expect(listRequests().at(-1)!.searchParams.get("page")).toBe("2");
    expect(screen.queryByText("Load more")).not.toBeInTheDocument();

    // Sorting is a new list: its first page only.
    await userEvent.click(within(table).getByText("Name"));
    await waitFor(() => expect(rows()[0]).toHaveTextContent("Agent 150"));
    expect(rows()).toHaveLength(100);
    expect(listRequests().at(-1)!.searchParams.get("ordering")).toBe("-name,created_at");
    expect(listRequests().at(-1)!.searchParams.has("page")).toBe(false);
  });
});

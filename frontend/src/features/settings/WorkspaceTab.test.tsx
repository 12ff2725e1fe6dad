import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { WorkingHoursEditor } from "../agents/WorkingHoursEditor";
import { WorkspaceProvider } from "../workspaces/workspace";
import { SettingsPage } from "./SettingsPage";
import { timeZoneOptions } from "./timeZones";

const acme = (role: string) => ({ id: 4, name: "Acme", slug: "acme", role, time_zone: "Europe/Madrid" }) as unknown as Workspace;

describe("timeZoneOptions", () => {
  it("puts UTC first and keeps the current zone even when the browser does not list it", () => {
    expect(timeZoneOptions("Asia/Kolkata", () => ["Europe/Madrid", "America/New_York"])).toEqual(["UTC", "America/New_York", "Asia/Kolkata", "Europe/Madrid"]);
    expect(timeZoneOptions("Europe/Madrid", () => { throw new Error("old browser"); })).toEqual(["UTC", "Europe/Madrid"]);
  });
});

describe("Settings → Workspace", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const patches = () => fetch.mock.calls.filter(([, init]) => init?.method === "PATCH");

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url.endsWith("/api/workspaces/4") && init?.method === "PATCH") return json({ ...acme("admin"), ...JSON.parse(String(init.body)) });
      return json([]);
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderAt(path: string, workspace: Workspace, element = <SettingsPage />) {
    const router = createMemoryRouter([{ path: "*", element }], { initialEntries: [path] });
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }

  it("lets an admin rename the workspace and pick its time zone", async () => {
    renderAt("/settings?tab=workspace", acme("admin"));
    expect(screen.getByRole("tab", { name: "Workspace" })).toHaveAttribute("aria-selected", "true");
    const name = screen.getByLabelText("Workspace name");
    await userEvent.clear(name);
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(screen.getByText("This field is required.")).toBeInTheDocument();
    expect(patches()).toHaveLength(0);

    await userEvent.type(name, "Acme Spain");
    await userEvent.selectOptions(screen.getByLabelText("Time zone"), "UTC");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect(String(patches()[0][0])).toMatch(/\/api\/workspaces\/4$/);
    expect(JSON.parse(String(patches()[0][1]!.body))).toEqual({ name: "Acme Spain", time_zone: "UTC" });
  });

  it("shows a member the workspace without letting them change it", () => {
    renderAt("/settings?tab=workspace", acme("member"));
    expect(screen.getByText("Only admins and owners change the workspace's name and time zone.")).toBeInTheDocument();
    expect(screen.getByLabelText("Workspace name")).toBeDisabled();
    expect(screen.getByLabelText("Time zone")).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Save" })).not.toBeInTheDocument();
  });

  it("the working-hours editor says which time zone the hours are in", () => {
    renderAt("/agents/1", acme("member"), <WorkingHoursEditor value={{}} onChange={() => {}} />);
    expect(screen.getByTestId("working-hours-zone")).toHaveTextContent("Times are in the workspace's time zone, Europe/Madrid.");
    expect(screen.getByRole("link", { name: "Change it in Settings" })).toHaveAttribute("href", "/settings?tab=workspace");
  });
});

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
import { json } from "../../test/http";
import { WorkspaceProvider } from "../workspaces/workspace";
import { SettingsPage } from "./SettingsPage";

const profile = { id: 1, email: "ana@example.com", name: "Ana", language: "en" };

describe("Settings: no edit is lost", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url.endsWith("/api/user/profile")) return json(init?.method === "PATCH" ? { ...profile, ...JSON.parse(String(init.body)) } : profile);
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderSettings() {
    const shell = (
      <UnsavedChangesProvider>
        <Link to="/agents">Agents</Link>
        <Outlet />
      </UnsavedChangesProvider>
    );
    const router = createMemoryRouter([{ element: shell, children: [{ path: "/settings", element: <SettingsPage /> }, { path: "/agents", element: <p>Agents page</p> }] }], {
      initialEntries: ["/settings"],
    });
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[{ id: 1, name: "Acme", role: "owner" } as unknown as Workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }

  it("keeps the profile draft across tabs, asks before leaving, and saves it", { timeout: 20_000 }, async () => {
    renderSettings();
    const name = await screen.findByRole("textbox", { name: "Your name" });
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    await userEvent.clear(name);
    await userEvent.type(name, "Ana Souza");
    await userEvent.click(screen.getByRole("tab", { name: "Password" }));
    expect(screen.queryByRole("textbox", { name: "Your name" })).not.toBeInTheDocument();
    await userEvent.click(screen.getByRole("tab", { name: "Profile" }));
    expect(screen.getByRole("textbox", { name: "Your name" })).toHaveValue("Ana Souza");

    await userEvent.click(screen.getByRole("link", { name: "Agents" }));
    await userEvent.click(within(await screen.findByRole("dialog", { name: "Discard your changes?" })).getByRole("button", { name: "Keep editing" }));
    expect(screen.getByRole("textbox", { name: "Your name" })).toHaveValue("Ana Souza");

    // A new AI key typed in another tab is kept across tabs as well.
    await userEvent.click(screen.getByRole("tab", { name: "AI credentials" }));
    await userEvent.type(await screen.findByLabelText("API key"), "sk-typed");
    await userEvent.click(screen.getByRole("tab", { name: "Profile" }));
    await userEvent.click(screen.getByRole("tab", { name: "AI credentials" }));
    expect(await screen.findByLabelText("API key")).toHaveValue("sk-typed");
    await userEvent.clear(screen.getByLabelText("API key"));
    await userEvent.click(screen.getByRole("tab", { name: "Profile" }));

    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    await userEvent.click(screen.getByRole("link", { name: "Agents" }));
    expect(await screen.findByText("Agents page")).toBeInTheDocument();
  });
});

import { render, screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import type { Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import { UnsavedChangesProvider } from "../../components/unsaved/UnsavedChanges";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { WorkspaceProvider } from "../workspaces/workspace";
import { connected } from "./kommoFixtures";
import { RepliesCard } from "./RepliesCard";

const beforeUnloadPrevented = () => {
  const event = new Event("beforeunload", { cancelable: true });
  window.dispatchEvent(event);
  return event.defaultPrevented;
};

describe("Integrations → Kommo replies", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    vi.stubGlobal("fetch", vi.fn(async () => json(connected)));
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderCard(admin: boolean) {
    const page = (
      <UnsavedChangesProvider>
        <RepliesCard status={connected} admin={admin} />
      </UnsavedChangesProvider>
    );
    const router = createMemoryRouter([{ path: "/", element: page }]);
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[{ id: 1, name: "Acme", role: admin ? "owner" : "member" } as unknown as Workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }

  it("asks before the page is left with a Salesbot id typed and not saved", async () => {
    renderCard(true);
    const botId = await screen.findByLabelText("Salesbot bot ID");
    expect(beforeUnloadPrevented()).toBe(false);
    await userEvent.clear(botId);
    await userEvent.type(botId, "888");
    await waitFor(() => expect(beforeUnloadPrevented()).toBe(true));
    await userEvent.clear(botId);
    await userEvent.type(botId, String(connected.salesbot_bot_id));
    await waitFor(() => expect(beforeUnloadPrevented()).toBe(false)); // back to the saved value: nothing to lose
  });
});

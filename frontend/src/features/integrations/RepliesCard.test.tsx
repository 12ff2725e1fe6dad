import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { UnsavedChangesProvider } from "../../components/unsaved/UnsavedChanges";
import i18n from "../../i18n";
import { renderPage, testWorkspace } from "../../test/render";
import { json } from "../../test/http";
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

  const renderCard = (admin: boolean) =>
    renderPage(
      <UnsavedChangesProvider>
        <RepliesCard status={connected} admin={admin} />
      </UnsavedChangesProvider>,
      { workspace: testWorkspace(admin ? "owner" : "member") },
    );

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

import { render, screen, waitFor, within } from "@testing-library/react";
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
import { ArticleEditor } from "./ArticleEditor";

const saved = {
  id: 7,
  title: "Delivery times",
  body: "Three days.",
  status: "published",
  language: "en",
  tags: [],
  categories: [],
  files: [],
  index: { state: "ready", progress: 100 },
};

describe("Article editor", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      if (url.includes("/api/knowledge/articles/7")) return json(init?.method === "PATCH" ? { ...saved, ...JSON.parse(String(init.body)) } : saved);
      if (url.includes("/api/knowledge/categories/tree")) return json([]);
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderEditor(onClose = vi.fn()) {
    const element = (
      <UnsavedChangesProvider>
        <ArticleEditor id={7} defaultCategory={null} onClose={onClose} onCreated={() => undefined} />
      </UnsavedChangesProvider>
    );
    const router = createMemoryRouter([{ path: "/knowledge", element }], { initialEntries: ["/knowledge"] });
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[{ id: 1, name: "Acme", role: "owner" } as unknown as Workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
    return onClose;
  }

  it("asks before closing with changes not saved; Save is there once something changed", async () => {
    const onClose = renderEditor();
    const title = await screen.findByLabelText("Title");
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    await userEvent.type(title, " and costs");
    await userEvent.click(screen.getAllByRole("button", { name: "Close" }).at(-1)!); // the form's, beside Save
    const ask = await screen.findByRole("dialog", { name: "Discard your changes?" });
    await userEvent.click(within(ask).getByRole("button", { name: "Keep editing" }));
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByLabelText("Title")).toHaveValue("Delivery times and costs");

    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    const patch = fetch.mock.calls.find(([, init]) => init?.method === "PATCH")!;
    expect(JSON.parse(String(patch[1]!.body))).toMatchObject({ title: "Delivery times and costs" });
  });

  it("Escape with changes asks too; Discard puts the saved text back", async () => {
    const onClose = renderEditor();
    await userEvent.type(await screen.findByLabelText("Text"), " Or two.");
    await userEvent.keyboard("{Escape}");
    await userEvent.click(within(await screen.findByRole("dialog", { name: "Discard your changes?" })).getByRole("button", { name: "Keep editing" }));
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole("button", { name: "Discard" }));
    await userEvent.click(within(await screen.findByRole("dialog", { name: "Discard your changes?" })).getByRole("button", { name: "Discard" }));
    expect(screen.getByLabelText("Text")).toHaveValue("Three days.");
    await userEvent.keyboard("{Escape}");
    await waitFor(() => expect(onClose).toHaveBeenCalledOnce()); // nothing to lose: closed without a question
    expect(screen.queryByRole("dialog", { name: "Discard your changes?" })).not.toBeInTheDocument();
  });
});

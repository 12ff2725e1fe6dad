import { act, render, renderHook, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { useState } from "react";
import { createMemoryRouter, Link, Outlet, RouterProvider } from "react-router";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { createQueryClient } from "../../api/queryClient";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { DirtyBar } from "./DirtyBar";
import { UnsavedChangesProvider, useConfirmLeave, useUnsavedChanges } from "./UnsavedChanges";
import { useDraft } from "./useDraft";

beforeEach(async () => {
  await i18n.changeLanguage("en");
});

describe("useDraft", () => {
  it("holds edits per field over the saved value, which untouched fields keep following", () => {
    const { result, rerender } = renderHook(({ saved }) => useDraft(saved), { initialProps: { saved: { name: "A", tags: ["x"], on: false } } });
    expect(result.current.dirty).toBe(false);
    act(() => result.current.set("name", "B"));
    expect(result.current.value).toEqual({ name: "B", tags: ["x"], on: false });
    expect(result.current.changed).toEqual(["name"]);
    // A refetch brings a teammate's change to another field: it shows, the edit stays.
    rerender({ saved: { name: "A", tags: ["x"], on: true } });
    expect(result.current.value).toEqual({ name: "B", tags: ["x"], on: true });
    // An edit back to the saved value is no change (arrays compared by value).
    act(() => result.current.set("tags", ["x"]));
    act(() => result.current.set("name", "A"));
    expect(result.current.dirty).toBe(false);
    act(() => result.current.set("name", "C"));
    act(() => result.current.reset());
    expect(result.current.value.name).toBe("A");
    expect(result.current.dirty).toBe(false);
  });
});

describe("DirtyBar", () => {
  const noop = () => undefined;
  function renderBar(props: Partial<Parameters<typeof DirtyBar>[0]>) {
    return render(
      <AppProviders queryClient={createQueryClient()}>
        <DirtyBar dirty={false} saving={false} onSave={noop} onDiscard={noop} {...props} />
      </AppProviders>,
    );
  }

  it("on a page, shows only while there are changes, with Discard and Save", async () => {
    const onSave = vi.fn();
    const { unmount } = renderBar({});
    expect(screen.queryByRole("region", { name: "Changes to save" })).not.toBeInTheDocument();
    unmount();
    renderBar({ dirty: true, onSave });
    const bar = screen.getByRole("region", { name: "Changes to save" });
    expect(bar).toHaveTextContent("You have changes to save.");
    expect(within(bar).getByRole("button", { name: "Discard" })).toBeEnabled();
    await userEvent.click(within(bar).getByRole("button", { name: "Save" }));
    expect(onSave).toHaveBeenCalledOnce();
  });

  it("inline, is always there, Save enabled once something changed; a failure shows instead of the notice", () => {
    const { rerender } = renderBar({ inline: true });
    expect(screen.getByRole("button", { name: "Save" })).toBeDisabled();
    expect(screen.queryByRole("button", { name: "Discard" })).not.toBeInTheDocument();
    rerender(
      <AppProviders queryClient={createQueryClient()}>
        <DirtyBar inline dirty saving={false} onSave={noop} onDiscard={noop} error="Server down." />
      </AppProviders>,
    );
    expect(screen.getByRole("alert")).toHaveTextContent("Server down.");
    expect(screen.getByRole("button", { name: "Save" })).toBeEnabled();
  });
});

describe("the unsaved-changes guard", () => {
  /** An editor with a text field; dirty once it differs from "saved". */
  function Editor({ name }: { name: string }) {
    const [value, setValue] = useState("saved");
    const confirmDiscard = useUnsavedChanges(value !== "saved");
    return (
      <div>
        <label>
          {name}
          <input value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <button type="button" onClick={async () => (await confirmDiscard()) && setValue("saved")}>
          Discard {name}
        </button>
      </div>
    );
  }
  function SwitchWorkspace() {
    const confirmLeave = useConfirmLeave();
    const [switched, setSwitched] = useState(false);
    return (
      <button type="button" onClick={async () => setSwitched(await confirmLeave())}>
        {switched ? "Switched" : "Switch workspace"}
      </button>
    );
  }
  function renderApp() {
    const shell = (
      <UnsavedChangesProvider>
        <Link to="/other">Other page</Link>
        <Link to="/edit?tab=2">Same page</Link>
        <SwitchWorkspace />
        <Outlet />
      </UnsavedChangesProvider>
    );
    const page = (
      <>
        <Editor name="First" />
        <Editor name="Second" />
      </>
    );
    const router = createMemoryRouter([{ element: shell, children: [{ path: "/edit", element: page }, { path: "/other", element: <p>Other content</p> }] }], { initialEntries: ["/edit"] });
    render(
      <AppProviders queryClient={createQueryClient()}>
        <RouterProvider router={router} />
      </AppProviders>,
    );
    return router;
  }
  const beforeUnload = () => {
    const event = new Event("beforeunload", { cancelable: true });
    window.dispatchEvent(event);
    return event.defaultPrevented;
  };

  it("lets a clean page go without a word", async () => {
    renderApp();
    expect(beforeUnload()).toBe(false);
    await userEvent.click(screen.getByRole("link", { name: "Other page" }));
    expect(await screen.findByText("Other content")).toBeInTheDocument();
  });

  it("asks before another page while any editor has changes: staying keeps them, leaving goes", async () => {
    const router = renderApp();
    await userEvent.type(screen.getByLabelText("Second"), "!");
    await waitFor(() => expect(beforeUnload()).toBe(true)); // the browser asks before closing or reloading the tab

    await userEvent.click(screen.getByRole("link", { name: "Same page" }));
    expect(router.state.location.search).toBe("?tab=2"); // the same page: nothing is lost, nothing asked
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("link", { name: "Other page" }));
    await userEvent.click(within(await screen.findByRole("dialog", { name: "Discard your changes?" })).getByRole("button", { name: "Keep editing" }));
    expect(screen.getByLabelText("Second")).toHaveValue("saved!");
    expect(router.state.location.pathname).toBe("/edit");

    await userEvent.click(screen.getByRole("link", { name: "Other page" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard" }));
    expect(await screen.findByText("Other content")).toBeInTheDocument();
    await waitFor(() => expect(beforeUnload()).toBe(false));
  });

  it("an editor's own Discard asks only when that editor has changes, and the page stays guarded while another has some", async () => {
    renderApp();
    await userEvent.type(screen.getByLabelText("First"), "1");
    await userEvent.type(screen.getByLabelText("Second"), "2");
    await userEvent.click(screen.getByRole("button", { name: "Discard First" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Discard" }));
    expect(screen.getByLabelText("First")).toHaveValue("saved");
    await waitFor(() => expect(beforeUnload()).toBe(true));
    await userEvent.click(screen.getByRole("link", { name: "Other page" }));
    expect(await screen.findByRole("dialog", { name: "Discard your changes?" })).toBeInTheDocument();
  });

  it("asks before an action that drops every edit without leaving (switching workspace)", async () => {
    renderApp();
    await userEvent.click(screen.getByRole("button", { name: "Switch workspace" }));
    expect(await screen.findByRole("button", { name: "Switched" })).toBeInTheDocument(); // nothing to lose: no question
  });

  it("switching workspace with changes asks, and a refusal keeps the workspace", async () => {
    renderApp();
    await userEvent.type(screen.getByLabelText("First"), "1");
    await userEvent.click(screen.getByRole("button", { name: "Switch workspace" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Keep editing" }));
    expect(screen.getByRole("button", { name: "Switch workspace" })).toBeInTheDocument();
    expect(screen.getByLabelText("First")).toHaveValue("saved1");
  });
});

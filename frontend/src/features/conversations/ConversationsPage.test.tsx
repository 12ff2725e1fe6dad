import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { QueryClient } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import { deliverRealtimeEvent } from "../../api/realtime";
import type { Conversation, Message, Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { WorkspaceProvider } from "../workspaces/workspace";
import { threadMessages } from "./api";
import { ConversationsPage } from "./ConversationsPage";
import { json, pageOf } from "../../test/http";


const conversation = (id: number, status: Conversation["status"] = "open"): Conversation => ({
  id,
  channel: "api",
  external_chat_id: `chat-${id}`,
  customer_name: `Customer ${id}`,
  status,
  unread_count: 0,
  needs_approval: false,
  last_message_at: "2026-03-01T10:00:00Z",
  created_at: "2026-03-01T10:00:00Z",
  updated_at: "2026-03-01T10:00:00Z",
});

/** Message `n` of a thread: written at minute n, so a higher n is newer. */
const message = (n: number, status: Message["status"] = "received"): Message => ({
  id: 1000 + n,
  conversation: 7,
  direction: "in",
  author: "customer",
  author_name: null,
  text: `Message ${n}`,
  source_timestamp: new Date(Date.UTC(2026, 2, 1, 0, n)).toISOString(),
  status,
  trace: null,
  created_at: new Date(Date.UTC(2026, 2, 1, 0, n)).toISOString(),
});

/** The cursor endpoint: newest first; the cursor here is simply the index to go on from. */
function cursorPageOf(rows: Message[], url: URL) {
  const newestFirst = [...rows].reverse();
  const start = Number(url.searchParams.get("cursor") ?? 0);
  const size = Number(url.searchParams.get("page_size") ?? 50);
  const end = start + size;
  const link = new URL(url.pathname, "http://testserver");
  link.searchParams.set("cursor", String(end));
  link.searchParams.set("page_size", String(size));
  return { next: end < newestFirst.length ? link.toString() : null, previous: null, results: newestFirst.slice(start, end) };
}

describe("Conversations paging", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  let inbox: Conversation[];
  let thread: Message[];
  let summaryUnread: number;
  const requests = (path: string) =>
    fetch.mock.calls.map(([input]) => String(input)).filter((url) => new URL(url, "http://localhost").pathname === path);

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    inbox = Array.from({ length: 120 }, (_, i) => conversation(i + 1, i % 10 === 0 ? "closed" : "open"));
    thread = Array.from({ length: 130 }, (_, i) => message(i + 1));
    summaryUnread = 0;
    fetch.mockReset();
    fetch.mockImplementation(async (input) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/agents") return json({ count: 0, next: null, previous: null, results: [] });
      if (url.pathname === "/api/conversations") {
        const status = url.searchParams.get("status");
        return json(pageOf(status ? inbox.filter((c) => c.status === status) : inbox, url));
      }
      if (url.pathname === "/api/conversations/7") return json({ ...conversation(7), messages: thread.slice(-50), has_older_messages: true });
      if (url.pathname === "/api/conversations/8") return json({ ...conversation(8), messages: thread.slice(0, 3), has_older_messages: false });
      if (url.pathname === "/api/conversations/7/messages") return json(cursorPageOf(thread, url));
      if (url.pathname === "/api/conversations/summary") return json({ unread: summaryUnread, unread_conversations: 2, needs_approval: 0, open: 108, waiting_approval: 0, human: 0, closed: 12 });
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderPage(path: string): QueryClient {
    const queryClient = createQueryClient();
    const router = createMemoryRouter([{ path: "/conversations/*", element: <ConversationsPage /> }], { initialEntries: [path] });
    const workspace = { id: 1, name: "Acme", role: "owner" } as unknown as Workspace;
    render(
      <AppProviders queryClient={queryClient}>
        <WorkspaceProvider workspaces={[workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
    return queryClient;
  }

  it("counts unread messages of the whole workspace, not of the loaded page, and follows conversation events", async () => {
    summaryUnread = 312;
    const queryClient = renderPage("/conversations");
    await waitFor(() => expect(screen.getByTestId("unread-total")).toHaveTextContent("312 unread"));
    summaryUnread = 313;
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "message.created", payload: { conversation: 99 } }));
    await waitFor(() => expect(screen.getByTestId("unread-total")).toHaveTextContent("313 unread"));
  });

  it("opens filtered by a link's query (the dashboard's needs-attention items)", async () => {
    renderPage("/conversations?status=human&has_failed=true");
    await waitFor(() => expect(requests("/api/conversations")).not.toHaveLength(0));
    const asked = new URL(requests("/api/conversations").at(-1)!, "http://localhost");
    expect(asked.searchParams.get("status")).toBe("human");
    expect(asked.searchParams.get("has_failed")).toBe("true");
    expect(screen.getByLabelText("Status")).toHaveValue("human");
    expect(screen.getByRole("checkbox", { name: "Failed messages" })).toBeChecked();
    expect(screen.getByRole("checkbox", { name: "Needs approval" })).not.toBeChecked();
  });

  it("loads the inbox page by page, keeps the loaded pages on realtime refetches, restarts on a filter", { timeout: 15_000 }, async () => {
    const queryClient = renderPage("/conversations");
    const list = await screen.findByRole("list", { name: "Conversations" });
    expect(within(list).getAllByRole("link")).toHaveLength(50);
    expect(screen.getByTestId("paging-count")).toHaveTextContent("Showing 50 of 120");
    expect(screen.queryByText("Customer 51")).not.toBeInTheDocument();

    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("Customer 100");
    // The next link is followed on this origin (the API writes it absolute, for its own host).
    expect(requests("/api/conversations").at(-1)).toBe("/api/conversations?page_size=50&page=2");
    await userEvent.click(screen.getByRole("button", { name: "Load more" }));
    await screen.findByText("Customer 120");
    expect(screen.getByTestId("paging-count")).toHaveTextContent("Showing 120 of 120");
    expect(screen.queryByRole("button", { name: "Load more" })).not.toBeInTheDocument();

    // A realtime event refetches every loaded page: nothing that was shown goes away.
    inbox[0] = { ...inbox[0], customer_name: "Renamed customer" };
    const before = requests("/api/conversations").length;
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "conversation.updated", payload: { id: 1 } }));
    await screen.findByText("Renamed customer");
    await waitFor(() => expect(requests("/api/conversations").length).toBe(before + 3));
    expect(within(list).getAllByRole("link")).toHaveLength(120);

    // A filter starts again from its first page.
    await userEvent.selectOptions(screen.getByLabelText("Status"), "closed");
    await waitFor(() => expect(within(screen.getByRole("list", { name: "Conversations" })).getAllByRole("link")).toHaveLength(12));
    const filtered = new URL(requests("/api/conversations").at(-1)!, "http://localhost");
    expect(filtered.searchParams.get("status")).toBe("closed");
    expect(filtered.searchParams.has("page")).toBe(false);
    expect(screen.queryByTestId("paging-count")).not.toBeInTheDocument();

    // Back to every status: from page 1 again, not the three pages loaded before.
    await userEvent.selectOptions(screen.getByLabelText("Status"), "");
    await waitFor(() => expect(screen.getByTestId("paging-count")).toHaveTextContent("Showing 50 of 120"));
    expect(within(screen.getByRole("list", { name: "Conversations" })).getAllByRole("link")).toHaveLength(50);
  });

  it("shows older messages above the latest ones, each once, and keeps them when the conversation refetches", { timeout: 15_000 }, async () => {
    const queryClient = renderPage("/conversations/7");
    const messages = await screen.findByRole("list", { name: "Messages" });
    await within(messages).findByText("Message 130");
    expect(within(messages).getAllByTestId("message")).toHaveLength(50);
    expect(requests("/api/conversations/7/messages")).toHaveLength(0);

    // The first page of the cursor endpoint repeats the latest 50: it is asked for 50 more than that.
    await userEvent.click(screen.getByRole("button", { name: "Show older messages" }));
    await within(messages).findByText("Message 31");
    expect(requests("/api/conversations/7/messages")).toEqual(["/api/conversations/7/messages?page_size=100"]);
    let texts = within(messages).getAllByTestId("message").map((m) => m.textContent ?? "");
    expect(texts).toHaveLength(100);
    expect(texts[0]).toContain("Message 31");
    expect(texts.at(-1)).toContain("Message 130");

    await userEvent.click(screen.getByRole("button", { name: "Show older messages" }));
    await within(messages).findByText("Message 1");
    expect(requests("/api/conversations/7/messages").at(-1)).toBe("/api/conversations/7/messages?cursor=100&page_size=50");
    expect(within(messages).getAllByTestId("message")).toHaveLength(130);
    expect(screen.queryByRole("button", { name: "Show older messages" })).not.toBeInTheDocument();
    expect(screen.getByText("The beginning of the conversation")).toBeInTheDocument();

    // A new message: the conversation refetches (its latest 50), the older pages stay as they are.
    thread.push(message(131));
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "message.created", payload: { id: 1131, conversation: 7 } }));
    await within(messages).findByText("Message 131");
    texts = within(messages).getAllByTestId("message").map((m) => m.textContent ?? "");
    expect(texts).toHaveLength(131);
    expect(texts[0]).toContain("Message 1");
    expect(requests("/api/conversations/7/messages")).toHaveLength(2);

    // An older message's event is written into the loaded pages without refetching them.
    const oldOne = () => within(messages).getByText("Message 5").closest("[data-testid=message]");
    expect(oldOne()).toHaveAttribute("data-status", "received");
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "message.updated", payload: { id: 1005, conversation: 7, status: "answered" } }));
    await waitFor(() => expect(oldOne()).toHaveAttribute("data-status", "answered"));
    expect(requests("/api/conversations/7/messages")).toHaveLength(2);
  });

  it("keeps the messages that slide out of the latest 50 as new ones arrive", async () => {
    const queryClient = renderPage("/conversations/7");
    const messages = await screen.findByRole("list", { name: "Messages" });
    await within(messages).findByText("Message 81");
    thread.push(message(131), message(132));
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "message.created", payload: { id: 1132, conversation: 7 } }));
    await within(messages).findByText("Message 132");
    const texts = within(messages).getAllByTestId("message").map((m) => m.textContent ?? "");
    expect(texts).toHaveLength(52);
    expect(texts[0]).toContain("Message 81");
    expect(requests("/api/conversations/7/messages")).toHaveLength(0);
  });

  it("offers no older messages when the conversation has fewer than its latest 50", async () => {
    renderPage("/conversations/8");
    const messages = await screen.findByRole("list", { name: "Messages" });
    await within(messages).findByText("Message 3");
    expect(screen.queryByRole("button", { name: "Show older messages" })).not.toBeInTheDocument();
  });
});

describe("threadMessages", () => {
  it("merges the latest messages with older pages: each once, the latest copy winning, oldest first", () => {
    const recent = [message(3, "sent"), message(4)];
    const olderPages = [{ results: [message(4), message(3, "pending_approval"), message(2)] }, { results: [message(1)] }];
    const merged = threadMessages(recent, olderPages);
    expect(merged.map((m) => m.id)).toEqual([1001, 1002, 1003, 1004]);
    expect(merged[2].status).toBe("sent");
  });

  it("orders by the time written, then by id", () => {
    const same = { ...message(5), id: 2000 };
    expect(threadMessages([same, message(5), message(1)]).map((m) => m.id)).toEqual([1001, 1005, 2000]);
  });
});

import { act, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { deliverRealtimeEvent } from "../../api/realtime";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { renderPage } from "../../test/render";
import type { Notification } from "./api";
import { badgeText, notificationLink, timeAgo } from "./format";
import { NotificationBell } from "./NotificationBell";

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
const note = (id: number, extra: Partial<Notification> = {}): Notification => ({
  id,
  kind: "approval_requested",
  title: `Note ${id}`,
  body: `Body ${id}`,
  payload: {},
  read_at: null,
  created_at: minutesAgo(id),
  ...extra,
});

/** The cursor endpoint, newest first; the cursor here is the index to go on from. */
function cursorPage(rows: Notification[], url: URL) {
  const start = Number(url.searchParams.get("cursor") ?? 0);
  const end = start + Number(url.searchParams.get("page_size") ?? 50);
  const next = new URL(url.pathname, "http://testserver");
  next.searchParams.set("cursor", String(end));
  return { next: end < rows.length ? next.toString() : null, previous: null, results: rows.slice(start, end) };
}

describe("NotificationBell", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  let rows: Notification[];
  const calls = (method: string, path: string) =>
    fetch.mock.calls.filter(([input, init]) => new URL(String(input), "http://localhost").pathname === path && (init?.method ?? "GET") === method);

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    rows = [];
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = new URL(String(input), "http://localhost");
      const method = init?.method ?? "GET";
      if (url.pathname === "/api/notifications/unread-count") return json({ unread: rows.filter((n) => !n.read_at).length });
      if (url.pathname === "/api/notifications") return json(cursorPage(rows, url));
      if (url.pathname === "/api/notifications/read-all" && method === "POST") {
        const updated = rows.filter((n) => !n.read_at).length;
        rows = rows.map((n) => ({ ...n, read_at: n.read_at ?? new Date().toISOString() }));
        return json({ updated });
      }
      const read = url.pathname.match(/^\/api\/notifications\/(\d+)\/read$/);
      if (read && method === "PATCH") {
        rows = rows.map((n) => (n.id === Number(read[1]) ? { ...n, read_at: new Date().toISOString() } : n));
        return json(rows.find((n) => n.id === Number(read[1])));
      }
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  it("shows the unread count on the bell, 99+ past 99", async () => {
    rows = Array.from({ length: 150 }, (_, i) => note(i + 1));
    renderPage(<NotificationBell />);
    const bell = await screen.findByRole("button", { name: "Notifications, 150 unread" });
    expect(within(bell).getByTestId("notification-count")).toHaveTextContent("99+");
  });

  it("opens an empty panel; Escape closes it and gives the focus back to the bell", async () => {
    renderPage(<NotificationBell />);
    const bell = await screen.findByRole("button", { name: "Notifications" });
    expect(screen.queryByTestId("notification-count")).not.toBeInTheDocument();
    await userEvent.click(bell);
    const panel = await screen.findByRole("dialog", { name: "Notifications" });
    expect(bell).toHaveAttribute("aria-expanded", "true");
    expect(await within(panel).findByText("No notifications yet")).toBeInTheDocument();
    expect(within(panel).getByRole("button", { name: "Mark all read" })).toBeDisabled();
    expect(within(panel).getByRole("heading", { name: "Notifications" })).toHaveFocus();
    await userEvent.keyboard("{Escape}");
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(bell).toHaveFocus();
  });

  it("closes when the focus tabs out of the panel", async () => {
    rows = [note(1)];
    renderPage(
      <>
        <NotificationBell />
        <button type="button">After</button>
      </>,
    );
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 1 unread" }));
    await screen.findAllByTestId("notification");
    await userEvent.tab(); // Mark all read
    await userEvent.tab(); // the notification
    expect(screen.getByRole("dialog")).toBeInTheDocument();
    await userEvent.tab();
    expect(screen.getByRole("button", { name: "After" })).toHaveFocus();
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
  });

  it("lists notifications; a click marks one read, and one with a link leads there", async () => {
    rows = [note(1), note(2, { payload: { conversation: 7 }, title: "Needs a person" }), note(130, { read_at: minutesAgo(80) })];
    const { router } = renderPage(<NotificationBell />);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 2 unread" }));
    const items = await screen.findAllByTestId("notification");
    expect(items.map((li) => li.hasAttribute("data-unread"))).toEqual([true, true, false]);
    expect(items[0]).toHaveTextContent("Note 1");
    expect(items[0]).toHaveTextContent("Body 1");
    expect(items[0]).toHaveTextContent("1 minute ago");
    expect(items[2]).toHaveTextContent("2 hours ago");

    await userEvent.click(within(items[0]).getByRole("button"));
    await waitFor(() => expect(screen.getByRole("button", { name: "Notifications, 1 unread" })).toBeInTheDocument());
    expect(screen.getAllByTestId("notification")[0]).not.toHaveAttribute("data-unread");
    expect(calls("PATCH", "/api/notifications/1/read")).toHaveLength(1);
    expect(screen.getByRole("dialog")).toBeInTheDocument(); // no link: the panel stays

    await userEvent.click(within(screen.getAllByTestId("notification")[1]).getByRole("button"));
    await waitFor(() => expect(router.state.location.pathname).toBe("/conversations/7"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Notifications" })).toHaveFocus();
    expect(calls("PATCH", "/api/notifications/2/read")).toHaveLength(1);
  });

  it("marks all read", async () => {
    rows = [note(1), note(2), note(3)];
    renderPage(<NotificationBell />);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 3 unread" }));
    await screen.findAllByTestId("notification");
    await userEvent.click(screen.getByRole("button", { name: "Mark all read" }));
    await waitFor(() => expect(screen.getByRole("button", { name: "Notifications" })).toBeInTheDocument());
    expect(screen.getAllByTestId("notification").filter((li) => li.hasAttribute("data-unread"))).toHaveLength(0);
    expect(calls("POST", "/api/notifications/read-all")).toHaveLength(1);
  });

  it("adds a notification.created event at the top and bumps the count, without refetching", async () => {
    rows = [note(5)];
    const { queryClient } = renderPage(<NotificationBell />);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 1 unread" }));
    await screen.findAllByTestId("notification");
    const fetched = fetch.mock.calls.length;
    const created = note(6, { title: "Live one", created_at: new Date().toISOString() });
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "notification.created", payload: { ...created } }));
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "notification.created", payload: { ...created } })); // a repeat counts once
    expect(await screen.findByRole("button", { name: "Notifications, 2 unread" })).toBeInTheDocument();
    const items = screen.getAllByTestId("notification");
    expect(items).toHaveLength(2);
    expect(items[0]).toHaveTextContent("Live one");
    expect(items[0]).toHaveTextContent("just now");
    expect(fetch.mock.calls.length).toBe(fetched);
  });

  it("follows reads made in another tab (notification.read), without refetching what it has", async () => {
    rows = [note(1), note(2), note(3)];
    const { queryClient } = renderPage(<NotificationBell />);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications, 3 unread" }));
    await screen.findAllByTestId("notification");
    const fetched = fetch.mock.calls.length;
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "notification.read", payload: { id: 2 } }));
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "notification.read", payload: { id: 2 } })); // counted once
    expect(await screen.findByRole("button", { name: "Notifications, 2 unread" })).toBeInTheDocument();
    expect(screen.getAllByTestId("notification").map((li) => li.hasAttribute("data-unread"))).toEqual([true, false, true]);
    expect(fetch.mock.calls.length).toBe(fetched);
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "notification.read", payload: { all: true } }));
    expect(await screen.findByRole("button", { name: "Notifications" })).toBeInTheDocument();
    expect(screen.getAllByTestId("notification").filter((li) => li.hasAttribute("data-unread"))).toHaveLength(0);
    expect(fetch.mock.calls.length).toBe(fetched);
  });

  it("shows more, page by page", async () => {
    rows = Array.from({ length: 45 }, (_, i) => note(i + 1, { read_at: minutesAgo(1) }));
    renderPage(<NotificationBell />);
    await userEvent.click(await screen.findByRole("button", { name: "Notifications" }));
    expect(await screen.findAllByTestId("notification")).toHaveLength(20);
    await userEvent.click(screen.getByRole("button", { name: "Show more" }));
    await waitFor(() => expect(screen.getAllByTestId("notification")).toHaveLength(40));
    expect(calls("GET", "/api/notifications").at(-1)?.[0]).toBe("/api/notifications?cursor=20&page_size=20");
    await userEvent.click(screen.getByRole("button", { name: "Show more" }));
    await waitFor(() => expect(screen.getAllByTestId("notification")).toHaveLength(45));
    expect(screen.queryByRole("button", { name: "Show more" })).not.toBeInTheDocument();
  });
});

describe("notification helpers", () => {
  it("say how long ago, link what the payload names, cap the badge", () => {
    const now = Date.parse("2026-03-01T12:00:00Z");
    expect(timeAgo("2026-03-01T11:59:30Z", "en", now)).toBeNull();
    expect(timeAgo("2026-03-01T11:55:00Z", "en", now)).toBe("5 minutes ago");
    expect(timeAgo("2026-02-28T12:00:00Z", "en", now)).toBe("yesterday");
    expect(timeAgo("2026-03-01T09:00:00Z", "ru", now)).toBe("3 часа назад");
    expect(notificationLink({ kind: "automation", payload: { conversation: 3 } })).toBe("/conversations/3");
    expect(notificationLink({ kind: "integration_revoked", payload: { provider: "kommo" } })).toBe("/integrations");
    expect(notificationLink({ kind: "ai_budget_warning", payload: { percent: 80 } })).toBeNull();
    expect([badgeText(7), badgeText(99), badgeText(100)]).toEqual(["7", "99", "99+"]);
  });
});

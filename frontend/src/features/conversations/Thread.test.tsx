import { screen, within } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import type { Conversation, ConversationDetail, Message } from "../../api/types";
import i18n from "../../i18n";
import { renderPage } from "../../test/render";
import { json, pageOf } from "../../test/http";
import { ConversationsPage } from "./ConversationsPage";

const base = { external_chat_id: "c", unread_count: 0, created_at: "2026-03-01T18:01:00Z", updated_at: "2026-03-01T18:01:00Z" };
const held: Conversation = { ...base, id: 1, channel: "api", customer_name: "Anna", status: "waiting_approval", needs_approval: true };
const playground: Conversation = { ...base, id: 2, channel: "playground", customer_name: "Demo User", agent_name: "Sales bot", status: "open", needs_approval: false };
const reply = (id: number, author: Message["author"], author_name: string | null): Message => ({
  id,
  conversation: 1,
  direction: author === "customer" ? "in" : "out",
  author,
  author_name,
  text: `${author} text`,
  source_timestamp: `2026-03-01T18:0${id}:00Z`,
  status: author === "customer" ? "answered" : "sent",
  trace: null,
  created_at: `2026-03-01T18:0${id}:00Z`,
});
const detail: ConversationDetail = {
  ...held,
  messages: [reply(1, "customer", null), reply(2, "ai", null), reply(3, "human", "Olga Owner")],
  has_older_messages: false,
  crm: {
    account: "acme.kommo.com",
    lead: { id: 3001, name: "Sofa for Anna", url: "https://acme.kommo.com/leads/detail/3001", known: true, fields: [{ name: "Interest", value: "Sofas" }], phones: [], emails: [], price: 1200, stage: { pipeline: "Sales", name: "Negotiation", color: null } },
    contact: { id: 4001, name: "", url: "https://acme.kommo.com/contacts/detail/4001", known: false, fields: [], phones: [], emails: [] },
  },
};

describe("The inbox's words", () => {
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    vi.stubGlobal(
      "fetch",
      vi.fn(async (input: RequestInfo | URL) => {
        const url = new URL(String(input), "http://testserver");
        const path = url.pathname;
        if (path.endsWith("/conversations/summary")) return json({ unread: 0, unread_conversations: 0, needs_approval: 1, open: 1, waiting_approval: 1, human: 0, closed: 0 });
        if (path.endsWith("/conversations/1")) return json(detail);
        if (path.endsWith("/conversations")) return json(pageOf([held, playground], url));
        return json(pageOf([], url));
      }),
    );
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  const renderAt = (path: string) => renderPage(<ConversationsPage />, { path, route: "/conversations/*" });

  it("shows one status per conversation and names playground tests by agent and time", async () => {
    renderAt("/conversations");
    const row = await screen.findByTestId("conversation-1");
    expect(within(row).getAllByText(/approval/i)).toHaveLength(1);
    expect(within(screen.getByTestId("conversation-2")).getByText(/^Playground test · Sales bot · /)).toBeInTheDocument();
  });

  it("signs a teammate's reply with their name, tells it from the AI's, and shows the lead and contact", async () => {
    renderAt("/conversations/1");
    const bubbles = await screen.findAllByTestId("message");
    const human = bubbles.find((b) => b.dataset.author === "human")!;
    const ai = bubbles.find((b) => b.dataset.author === "ai")!;
    expect(within(human).getByText("Olga Owner")).toBeInTheDocument();
    expect(within(ai).getByText("AI agent")).toBeInTheDocument();
    expect(human.querySelector(".bg-emerald-600")).not.toBeNull();
    expect(ai.querySelector(".bg-emerald-600")).toBeNull();

    const panel = screen.getByTestId("crm-panel");
    const lead = within(panel).getByRole("region", { name: "Lead" });
    expect(within(lead).getByText("Sofa for Anna")).toBeInTheDocument();
    expect(within(lead).getByText("Sales → Negotiation")).toBeInTheDocument();
    expect(within(lead).getByText("Sofas")).toBeInTheDocument();
    expect(within(lead).getByRole("link", { name: /Open in Kommo/ })).toHaveAttribute("href", "https://acme.kommo.com/leads/detail/3001");
    const contact = within(panel).getByRole("region", { name: "Contact" });
    expect(within(contact).getByText("#4001")).toBeInTheDocument();
    expect(within(contact).getByText("Kommo has not sent its details yet.")).toBeInTheDocument();
  });
});

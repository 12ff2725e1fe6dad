import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import i18n from "../../i18n";
import { json, pageOf, problem } from "../../test/http";
import { renderPage } from "../../test/render";
import type { TestResult, TriggerLog } from "./api";
import { TestBox } from "./TestBox";
import { TriggerLogTab } from "./TriggerLogTab";

const result: TestResult = {
  holds: true,
  outcome: "fired",
  why: "message.text contains 'discount': yes; “the customer asks for a discount”: yes (0.92, needs 0.70)",
  verdict: {
    tests: [{ condition: "message.text contains 'discount'", holds: true }],
    ai: [{ condition: "the customer asks for a discount", holds: true, confidence: 0.92, reason: "They ask whether two items cost less." }],
  },
  actions: [{ kind: "send_message", summary: "“We give 10% off two items.”" }],
};

describe("the test box", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("sends the message (and conversation) and shows whether it holds, each test, the AI's confidence and reason, and what would run", async () => {
    fetch.mockImplementation(async () => json(result));
    renderPage(<TestBox triggerId={7} dirty={false} />);
    await userEvent.type(screen.getByLabelText("Customer message"), "Any discount for two?");
    await userEvent.type(screen.getByLabelText("Conversation id (optional)"), "42");
    await userEvent.click(screen.getByRole("button", { name: "Test" }));

    const box = screen.getByRole("region", { name: "Result" });
    expect(await within(box).findByText("The condition holds")).toBeInTheDocument();
    const [url, init] = fetch.mock.calls[0]!;
    expect(String(url)).toBe("/api/triggers/7/test");
    expect(JSON.parse(String(init!.body))).toEqual({ text: "Any discount for two?", conversation: 42 });
    expect(within(box).getByText("message.text contains 'discount'")).toBeInTheDocument();
    const judgement = within(box).getByTestId("ai-judgement");
    expect(judgement).toHaveTextContent("the customer asks for a discount");
    expect(judgement).toHaveTextContent("confidence 92%");
    expect(judgement).toHaveTextContent("They ask whether two items cost less.");
    expect(within(box).getByText("Send a message")).toBeInTheDocument();
    expect(within(box).getByText(/We give 10% off two items/)).toBeInTheDocument();
  });

  it("says when nothing holds, asks for a message first, and shows the API's refusal at its field", async () => {
    fetch.mockImplementationOnce(async () => problem(400, "invalid", "Invalid input", { conversation: ['Invalid pk "99" - object does not exist.'] }));
    fetch.mockImplementationOnce(async () => json({ ...result, holds: false, outcome: "not_matched", actions: [] }));
    renderPage(<TestBox triggerId={7} dirty />);
    expect(screen.getByText(/You have unsaved changes: the test runs the saved trigger/)).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Test" }));
    expect(screen.getByLabelText("Customer message")).toHaveAttribute("aria-invalid", "true");
    expect(fetch).not.toHaveBeenCalled();

    await userEvent.type(screen.getByLabelText("Customer message"), "Hello");
    await userEvent.type(screen.getByLabelText("Conversation id (optional)"), "99");
    await userEvent.click(screen.getByRole("button", { name: "Test" }));
    expect(await screen.findByText('Invalid pk "99" - object does not exist.')).toBeInTheDocument();

    await userEvent.clear(screen.getByLabelText("Conversation id (optional)"));
    await userEvent.click(screen.getByRole("button", { name: "Test" }));
    const box = screen.getByRole("region", { name: "Result" });
    expect(await within(box).findByText("The condition does not hold")).toBeInTheDocument();
    expect(within(box).getByText("Nothing would run.")).toBeInTheDocument();
    expect(JSON.parse(String(fetch.mock.calls[1]![1]!.body))).toEqual({ text: "Hello", conversation: null });
  });
});

describe("the log", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const logs: TriggerLog[] = [
    {
      id: 2,
      created_at: "2026-12-04T10:00:00Z",
      event: "message",
      outcome: "fired",
      why: "fired: message.text contains 'discount': yes",
      conversation: 5,
      message: 9,
      lead_id: "777",
      verdict: { tests: [{ condition: "message.text contains 'discount'", holds: true }], ai: [] },
      actions: [
        { kind: "add_tag", ok: true, detail: "Tagged discount" },
        { kind: "change_stage", ok: false, error: "Kommo refused: stage 102 not found" },
      ],
      duration_ms: 120,
    },
    { id: 1, created_at: "2026-12-04T09:00:00Z", event: "test", outcome: "tested", why: "tested: no", conversation: null, message: null, lead_id: "", verdict: { tests: [], ai: [] }, actions: [], duration_ms: 4 },
  ];
  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input) => {
      const url = new URL(String(input), "http://localhost");
      const outcome = url.searchParams.get("outcome");
      return json(pageOf(logs.filter((l) => !outcome || l.outcome === outcome), url));
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("lists entries newest first, filters by outcome, and expands one to its verdict and action results, failures highlighted", async () => {
    renderPage(<TriggerLogTab triggerId={7} />);
    const list = await screen.findByRole("list", { name: "Log" });
    expect(within(list).getAllByRole("button", { expanded: false })).toHaveLength(2);
    const fired = within(list).getAllByRole("button")[0]!;
    expect(fired).toHaveTextContent("Fired");
    expect(fired).toHaveTextContent("Action failed");

    await userEvent.click(fired);
    expect(fired).toHaveAttribute("aria-expanded", "true");
    const failure = screen.getByText(/Kommo refused: stage 102 not found/).closest("li")!;
    expect(failure).toHaveTextContent("failed");
    expect(failure.className).toMatch(/bg-red-50/);
    expect(screen.getByText(/Tagged discount/).closest("li")!.className).not.toMatch(/bg-red-50/);

    await userEvent.selectOptions(screen.getByLabelText("Filter by outcome"), "tested");
    await within(list).findByText("tested: no");
    expect(within(screen.getByRole("list", { name: "Log" })).getAllByRole("button")).toHaveLength(1);
    expect(String(fetch.mock.calls.at(-1)![0])).toContain("outcome=tested");
  });
});

import { screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { UnsavedChangesProvider } from "../../components/unsaved/UnsavedChanges";
import i18n from "../../i18n";
import { json, pageOf, problem } from "../../test/http";
import { renderPage } from "../../test/render";
import type { Trigger } from "./api";
import { TriggerEditorPage } from "./TriggerEditorPage";
import { VOCABULARY } from "./vocabulary.fixture";

const trigger: Trigger = {
  id: 7,
  name: "Discount",
  description: "",
  is_active: true,
  priority: 100,
  agent: null,
  condition: { all: [{ fact: "message.text", op: "contains", value: "discount" }] },
  stop_ai_reply: false,
  run_limit: null,
  run_limit_scope: "conversation",
  run_limit_period: "ever",
  actions: [{ kind: "add_tag", params: { tags: ["discount"] } }],
  uses_ai: false,
  silence_minutes: null,
  last_fired_at: null,
  fired_total: 0,
  created_at: "2026-12-01T00:00:00Z",
  updated_at: "2026-12-01T00:00:00Z",
};
const pipelines = [
  { id: 10, name: "Sales", statuses: [{ id: 101, name: "New" }, { id: 102, name: "Negotiation" }] },
  { id: 20, name: "Support", statuses: [{ id: 201, name: "Open" }] },
];

describe("the trigger editor", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  let saveAnswer: () => Response;
  let chains: () => Response;
  const sent = (method: string) => fetch.mock.calls.filter(([, init]) => init?.method === method).map(([url, init]) => [String(url), JSON.parse(String(init!.body))] as const);

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    saveAnswer = () => json(trigger);
    chains = () => problem(404, "not_found", "Not found.");
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = new URL(String(input), "http://localhost");
      if (url.pathname === "/api/triggers/vocabulary") return json(VOCABULARY);
      if (url.pathname === "/api/triggers/7" && init?.method === "PATCH") return saveAnswer();
      if (url.pathname === "/api/triggers" && init?.method === "POST") return saveAnswer();
      if (url.pathname === "/api/triggers/7") return json(trigger);
      if (url.pathname === "/api/agents") return json(pageOf([{ id: 3, name: "Sales bot" }], url));
      if (url.pathname === "/api/integrations/kommo") return json({ connected: true, status: "connected" });
      if (url.pathname === "/api/integrations/kommo/pipelines") return json(pipelines);
      if (url.pathname === "/api/integrations/kommo/fields") return json([]);
      if (url.pathname === "/api/chains") return chains();
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => vi.unstubAllGlobals());

  it("adds, fills, reorders and removes actions, and saves them in order", async () => {
    renderPage(<TriggerEditorPage />, { path: "/triggers/7", route: "/triggers/:id" });
    await screen.findByRole("group", { name: "Action 1: Add tags to the lead" });

    await userEvent.selectOptions(screen.getByLabelText("Action to add"), "send_message");
    await userEvent.click(screen.getByRole("button", { name: "Add action" }));
    const message = screen.getByRole("group", { name: "Action 2: Send a message" });
    await userEvent.type(within(message).getByLabelText("Text"), "Hi");
    await userEvent.click(within(message).getByRole("button", { name: "Insert {customer_name}" }));
    expect(within(message).getByLabelText("Text")).toHaveValue("Hi {customer_name}");

    await userEvent.selectOptions(screen.getByLabelText("Action to add"), "change_stage");
    await userEvent.click(screen.getByRole("button", { name: "Add action" }));
    const stage = screen.getByRole("group", { name: "Action 3: Change the lead's stage" });
    expect(within(stage).getByLabelText("Stage")).toBeDisabled(); // a pipeline first
    await userEvent.selectOptions(within(stage).getByLabelText("Pipeline"), "10");
    expect(within(within(stage).getByLabelText("Stage")).getAllByRole("option").map((o) => o.textContent)).toEqual(["Choose a stage…", "New", "Negotiation"]);
    await userEvent.selectOptions(within(stage).getByLabelText("Stage"), "102");

    await userEvent.click(screen.getByRole("button", { name: "Move action 3 up" }));
    expect(screen.getByRole("group", { name: "Action 2: Change the lead's stage" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Move action 1 up" })).toBeDisabled();
    await userEvent.click(screen.getByRole("button", { name: "Remove action 1" }));

    await userEvent.click(within(screen.getByRole("region", { name: "Changes to save" })).getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(sent("PATCH")).toEqual([
      [
        "/api/triggers/7",
        {
          actions: [
            { kind: "change_stage", params: { pipeline_id: 10, stage_id: 102 } },
            { kind: "send_message", params: { text: "Hi {customer_name}" } },
          ],
        },
      ],
    ]);
  });

  it("shows the API's errors, keyed by JSON path, at the condition node and the action param they are about", async () => {
    saveAnswer = () =>
      problem(400, "trigger_invalid", "condition.all[0].value: Text.", {
        "condition.all[0].value": ["A regular expression."],
        "actions[0].params.tags": ["A list of tags (1–50 characters each)."],
        priority: ["A valid integer is required."],
        run_limit_period: ["Not a choice."],
      });
    renderPage(<TriggerEditorPage />, { path: "/triggers/7", route: "/triggers/:id" });
    const condition = await screen.findByRole("group", { name: "Condition 1" });
    await userEvent.selectOptions(within(condition).getByLabelText("Operator"), "matches");
    await userEvent.click(within(screen.getByRole("region", { name: "Changes to save" })).getByRole("button", { name: "Save" }));

    expect(await within(condition).findByText("A regular expression.")).toBeInTheDocument();
    expect(within(screen.getByRole("group", { name: "Action 1: Add tags to the lead" })).getByText("A list of tags (1–50 characters each).")).toBeInTheDocument();
    expect(screen.getByLabelText("Priority")).toHaveAttribute("aria-invalid", "true");
    expect(screen.getByLabelText("Over")).toHaveAttribute("aria-invalid", "true");
    expect(within(screen.getByRole("region", { name: "Changes to save" })).getByRole("alert")).toHaveTextContent("Some fields need attention");
  });

  it("creates a new trigger whole (condition, actions, run limit) and opens it, the unsaved-changes guard not asking", async () => {
    const page = (
      <UnsavedChangesProvider>
        <TriggerEditorPage />
      </UnsavedChangesProvider>
    );
    const { router } = renderPage(page, { path: "/triggers/new", route: "/triggers/:id" });
    await userEvent.type(await screen.findByLabelText("Name"), "Discount");
    await userEvent.click(screen.getByRole("button", { name: "Add a plain-language condition to Condition" }));
    await userEvent.type(screen.getByLabelText(/In plain language/), "the customer asks for a discount");
    await userEvent.type(screen.getByLabelText("Fire at most (times)"), "1");
    await userEvent.selectOptions(screen.getByLabelText("Over"), "day");
    await userEvent.click(screen.getByLabelText("Stop the AI reply when fired"));
    await userEvent.click(screen.getByRole("button", { name: "Create trigger" }));
    await waitFor(() => expect(router.state.location.pathname).toBe("/triggers/7"));
    expect(screen.queryByRole("dialog")).not.toBeInTheDocument();
    expect(sent("POST")).toEqual([
      [
        "/api/triggers",
        {
          name: "Discount",
          description: "",
          is_active: true,
          priority: 100,
          agent: null,
          condition: { all: [{ ai: "the customer asks for a discount", min_confidence: 0.7 }] },
          stop_ai_reply: true,
          run_limit: 1,
          run_limit_scope: "conversation",
          run_limit_period: "day",
          actions: [],
        },
      ],
    ]);
  });

  it("picks a chain from the workspace's chains (stop_chain: or every chain), or takes its id while there is no chains list", async () => {
    chains = () => json({ count: 2, next: null, previous: null, results: [{ id: 4, name: "Follow-up" }, { id: 5, name: "Win-back" }] });
    renderPage(<TriggerEditorPage />, { path: "/triggers/7", route: "/triggers/:id" });
    await userEvent.selectOptions(await screen.findByLabelText("Action to add"), "stop_chain");
    await userEvent.click(screen.getByRole("button", { name: "Add action" }));
    const stop = screen.getByRole("group", { name: "Action 2: Stop a chain" });
    const picker = await within(stop).findByRole("combobox", { name: "Chain" });
    expect(within(picker).getAllByRole("option").map((o) => o.textContent)).toEqual(["Every chain of the conversation", "Follow-up", "Win-back"]);
    await userEvent.selectOptions(picker, "5");
    await userEvent.click(within(screen.getByRole("region", { name: "Changes to save" })).getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(sent("PATCH")[0]![1]).toEqual({ actions: [trigger.actions[0], { kind: "stop_chain", params: { chain_id: 5 } }] });
  });

  it("without a chains list, a chain is typed as its id", async () => {
    renderPage(<TriggerEditorPage />, { path: "/triggers/7", route: "/triggers/:id" });
    await userEvent.selectOptions(await screen.findByLabelText("Action to add"), "start_chain");
    await userEvent.click(screen.getByRole("button", { name: "Add action" }));
    const start = screen.getByRole("group", { name: "Action 2: Start a chain" });
    expect(await within(start).findByRole("spinbutton", { name: "Chain" })).toBeInTheDocument();
  });
});

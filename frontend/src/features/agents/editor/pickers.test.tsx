import { render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../../api/client";
import { createQueryClient } from "../../../api/queryClient";
import type { CrmField, KommoField, KommoPipeline, KommoStatus, PipelineItem, Workspace } from "../../../api/types";
import { AppProviders } from "../../../App";
import i18n from "../../../i18n";
import { json } from "../../../test/http";
import { WorkspaceProvider } from "../../workspaces/workspace";
import { AgentEditorPage } from "../AgentEditorPage";

const agent = {
  id: 5,
  name: "Support",
  is_active: false,
  instructions: "",
  language: "auto",
  model_provider: "offline",
  model_id: "offline-extractive",
  working_hours: {},
  handoff_keywords: [],
  channels: [],
  version: 1,
};
const connected: KommoStatus = { connected: true, status: "connected", sync: { status: "ok", progress: 100, started_at: null, finished_at: "2026-03-01T10:00:00Z", result: {}, error: "" } };
const stage = (id: number, name: string) => ({ id, name, sort: id, color: "#fffeb2", type: 0 });
const synced: KommoPipeline[] = [
  { id: 100, name: "Sales", sort: 1, is_main: true, is_archive: false, deleted_in_kommo: false, statuses: [stage(1001, "New lead"), stage(1002, "Qualified"), stage(142, "Won")] },
  { id: 200, name: "Old funnel", sort: 2, is_main: false, is_archive: false, deleted_in_kommo: true, statuses: [stage(2001, "Lead")] },
  { id: 300, name: "Partners", sort: 3, is_main: false, is_archive: false, deleted_in_kommo: false, statuses: [stage(3001, "Contacted")] },
];
const field = (id: number, entity: string, name: string, type: string, extra: Partial<KommoField> = {}): KommoField => ({
  id,
  entity,
  name,
  code: "",
  type,
  enums: [],
  is_api_only: false,
  deleted_in_kommo: false,
  ...extra,
});
const syncedFields: KommoField[] = [
  field(5001, "leads", "Budget", "numeric"),
  field(5002, "leads", "Interest", "select", { enums: [{ id: 71, value: "Sofas" }, { id: 72, value: "Beds" }] }),
  field(5003, "leads", "Old source", "text", { deleted_in_kommo: true }),
  field(6001, "contacts", "Phone", "multitext", { code: "PHONE" }),
];

describe("Agent editor → Kommo pickers", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  let status: KommoStatus;
  let pipelines: KommoPipeline[];
  let savedPipelines: PipelineItem[];
  let savedFields: CrmField[];
  const bodyOf = (method: string, path: string) => {
    const call = fetch.mock.calls.filter(([url, init]) => String(url).endsWith(path) && init?.method === method).at(-1);
    return call ? (JSON.parse(String(call[1]!.body)) as unknown) : undefined;
  };

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    status = connected;
    pipelines = synced;
    savedPipelines = [
      { pipeline_id: 200, stage_ids: [] },
      { pipeline_id: 999, stage_ids: [9] },
    ];
    savedFields = [
      { entity: "lead", field_id: 5001, field_code: "", field_name: "Budget", field_type: "numeric", can_read: true, can_write: false },
      { entity: "lead", field_id: 5003, field_code: "", field_name: "Old source", field_type: "text", can_read: true, can_write: true },
      { entity: "lead", field_id: 777, field_code: "", field_name: "Gone", field_type: "text", can_read: true, can_write: false },
    ];
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      const path = url.split("?")[0];
      const method = init?.method ?? "GET";
      if (path.endsWith("/api/integrations/kommo")) return json(status);
      if (path.endsWith("/api/integrations/kommo/pipelines")) return json(pipelines);
      if (path.endsWith("/api/integrations/kommo/fields")) return json(status.connected ? syncedFields : []);
      if (path.endsWith("/api/agents/5/pipelines")) return json({ pipelines: savedPipelines });
      if (path.endsWith("/api/agents/5/crm-access")) return json({ fields: savedFields });
      if (path.endsWith("/api/agents/5/channels")) return json({ channels: [] });
      if (path.endsWith("/api/agents/5/knowledge-base")) return json({ category_ids: [] });
      if (path.endsWith("/api/agents/channel-status")) return json({ channels: [] });
      if (path.endsWith("/api/agents/5/update-rules") && method === "POST") return json({ id: 1, ...JSON.parse(String(init!.body)) }, 201);
      if (path.endsWith("/api/agents/5/update-rules")) return json([]);
      if (path.endsWith("/api/agents/5")) return json(agent);
      if (path.endsWith("/api/ai/models")) return json([]);
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  async function openTab(name: string) {
    const router = createMemoryRouter([{ path: "/agents/:id", element: <AgentEditorPage /> }], { initialEntries: ["/agents/5"] });
    const workspace = { id: 1, name: "Acme", slug: "acme", time_zone: "UTC", role: "member" } as Workspace;
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
    await userEvent.click(await screen.findByRole("tab", { name }));
  }

  it("shows stale pipelines as such, and saves the picked stages as [{pipeline_id, stage_ids}]", { timeout: 15_000 }, async () => {
    await openTab("Pipelines");
    const gone = await screen.findByRole("list", { name: "No longer in Kommo" });
    const old = within(gone).getByText("Old funnel").closest("li")!;
    expect(within(old).getByText("Deleted in Kommo")).toBeInTheDocument();
    expect(within(old).getByText("Every stage")).toBeInTheDocument();
    const unknown = within(gone).getByText("Pipeline 999").closest("li")!;
    expect(within(unknown).getByText("Unknown id 999")).toBeInTheDocument();
    expect(within(unknown).getByText("stage 9")).toBeInTheDocument();
    // The deleted pipeline is not offered again.
    const picker = screen.getByRole("list", { name: "Kommo pipelines" });
    expect(within(picker).queryByText("Old funnel")).not.toBeInTheDocument();

    await userEvent.click(within(gone).getByRole("button", { name: "Remove the pipeline Pipeline 999" }));
    expect(screen.queryByText("Pipeline 999")).not.toBeInTheDocument();

    await userEvent.click(within(picker).getByRole("checkbox", { name: /Sales/ }));
    const sales = within(picker).getByText("Sales").closest("li")!;
    expect(within(sales).getByText("Every stage")).toBeInTheDocument();
    await userEvent.click(within(sales).getByRole("checkbox", { name: "Qualified" }));
    await userEvent.click(within(sales).getByRole("checkbox", { name: "New lead" }));
    expect(within(sales).queryByText("Every stage")).not.toBeInTheDocument();
    await userEvent.click(within(picker).getByRole("checkbox", { name: "Partners" }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(bodyOf("PATCH", "/api/agents/5")).toEqual({
      pipelines: [
        { pipeline_id: 100, stage_ids: [1001, 1002] },
        { pipeline_id: 200, stage_ids: [] },
        { pipeline_id: 300, stage_ids: [] },
      ],
      base_version: 1,
    });
  });

  it("keeps a saved stage the pipeline no longer has until it is removed", async () => {
    savedPipelines = [{ pipeline_id: 100, stage_ids: [1002, 4242] }];
    await openTab("Pipelines");
    const sales = (await screen.findByText("Sales")).closest("li")!;
    expect(within(sales).getByRole("checkbox", { name: "Qualified" })).toBeChecked();
    expect(within(sales).getByText("Unknown stage 4242")).toBeInTheDocument();
    await userEvent.click(within(sales).getByRole("button", { name: "Remove stage 4242" }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(bodyOf("PATCH", "/api/agents/5")).toEqual({ pipelines: [{ pipeline_id: 100, stage_ids: [1002] }], base_version: 1 });
  });

  it("without Kommo, lists the saved pipelines read-only, with remove, and links to Integrations", async () => {
    status = { connected: false, status: "disconnected" };
    pipelines = [];
    await openTab("Pipelines");
    expect(await screen.findByText(/Kommo is not connected/)).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Open Integrations" })).toHaveAttribute("href", "/integrations");
    expect(screen.queryByRole("checkbox")).not.toBeInTheDocument();
    expect(screen.getByText("Pipeline 200")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Remove the pipeline Pipeline 999" }));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(bodyOf("PATCH", "/api/agents/5")).toEqual({ pipelines: [{ pipeline_id: 200, stage_ids: [] }], base_version: 1 });
  });

  it("picks CRM fields from the synced ones, showing stale ones as such", async () => {
    await openTab("CRM access");
    const budget = (await screen.findByDisplayValue(/Budget/)).closest("li")!;
    expect(within(budget).getByText("numeric · id 5001")).toBeInTheDocument();
    const old = screen.getByText("Old source").closest("li")!;
    expect(within(old).getByText("Deleted in Kommo")).toBeInTheDocument();
    const gone = screen.getByText("Gone").closest("li")!;
    expect(within(gone).getByText("Unknown id 777")).toBeInTheDocument();
    await userEvent.click(within(gone).getByRole("button", { name: "Remove the field Gone" }));

    await userEvent.click(screen.getByRole("button", { name: "Add field" }));
    const rows = screen.getAllByRole("listitem");
    const added = rows[rows.length - 1];
    await userEvent.selectOptions(within(added).getByLabelText("Entity"), "contact");
    await userEvent.selectOptions(within(added).getByLabelText("Field"), "Phone (PHONE) · multitext");
    await userEvent.click(within(added).getByLabelText("Write"));
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    await screen.findByText("Saved");
    expect(bodyOf("PATCH", "/api/agents/5")).toEqual({
      crm_fields: [
        savedFields[0],
        savedFields[1],
        { entity: "contact", field_id: 6001, field_code: "PHONE", field_name: "Phone", field_type: "multitext", can_read: true, can_write: true },
      ],
      base_version: 1,
    });
  });

  it("picks an update rule's field, with its type and choice options", async () => {
    await openTab("Update rules");
    await userEvent.click(await screen.findByRole("button", { name: "Add rule" }));
    const dialog = await screen.findByRole("dialog");
    await userEvent.type(within(dialog).getByLabelText("Name"), "Interest");
    await userEvent.type(within(dialog).getByLabelText("Instruction"), "What the customer wants to buy");
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    expect(await within(dialog).findByText("Pick a field.")).toBeInTheDocument();
    expect(within(dialog).queryByLabelText("Field code")).not.toBeInTheDocument();

    await waitFor(() => expect(within(dialog).getByRole("option", { name: "Interest · select" })).toBeInTheDocument());
    await userEvent.selectOptions(within(dialog).getByLabelText("Field"), "Interest · select");
    expect(within(within(dialog).getByRole("list", { name: "Choice options" })).getByText("Beds")).toBeInTheDocument();
    await userEvent.click(within(dialog).getByRole("button", { name: "Save" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(bodyOf("POST", "/api/agents/5/update-rules")).toMatchObject({
      name: "Interest",
      entity: "lead",
      field_id: 5002,
      field_code: "",
      field_type: "select",
      enum_options: [
        { id: 71, value: "Sofas" },
        { id: 72, value: "Beds" },
      ],
    });
  });
});

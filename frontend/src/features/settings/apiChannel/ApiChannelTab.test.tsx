import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../../api/client";
import { createQueryClient } from "../../../api/queryClient";
import type { ApiKey, Workspace } from "../../../api/types";
import { AppProviders } from "../../../App";
import i18n from "../../../i18n";
import { WorkspaceProvider } from "../../workspaces/workspace";
import { ApiChannelTab } from "./ApiChannelTab";
import { ingestExample } from "./channel";
import { json } from "../../../test/http";

const KEYS = "/api/workspaces/1/api-keys";
const shopKey: ApiKey = {
  id: 7,
  name: "Shop backend",
  hint: "apk_AbCdEfGhIjKl_…",
  scopes: ["channel_api"],
  created_by: "owner@example.com",
  created_at: "2026-03-01T10:00:00Z",
  last_used_at: null,
  revoked_at: null,
};
const problem = (status: number, code: string, errors?: Record<string, string[]>) =>
  new Response(JSON.stringify({ type: "about:blank", title: "t", status, detail: "Refused.", code, errors }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });

describe("Settings → API channel", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  const calls = (method: string, path: string) =>
    fetch.mock.calls.filter(([url, init]) => String(url).endsWith(path) && (init?.method ?? "GET") === method);

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      const method = init?.method ?? "GET";
      if (url.endsWith("/api/channels/api/settings") && method === "PUT") {
        const { webhook_url } = JSON.parse(String(init!.body)) as { webhook_url: string };
        if (!webhook_url.startsWith("https://")) return problem(400, "validation_error", { webhook_url: ["Enter a valid URL."] });
        return json({ webhook_url, signing_secret: "••••••••GXd8" });
      }
      if (url.endsWith("/api/channels/api/settings")) return json({ webhook_url: "", signing_secret: "••••••••GXd8" });
      if (url.endsWith("/api/channels/api/rotate-secret")) return json({ webhook_url: "", signing_secret: "the-whole-new-secret-QmZ1" });
      if (url.endsWith(KEYS) && method === "POST") {
        const body = JSON.parse(String(init!.body)) as Pick<ApiKey, "name" | "scopes">;
        return json({ ...shopKey, id: 8, ...body, hint: "apk_ZyXwVuTsRqPo_…", key: "apk_ZyXwVuTsRqPo_theWholeSecretPart" }, 201);
      }
      if (url.endsWith(KEYS)) return json([shopKey]);
      if (url.endsWith(`${KEYS}/7`) && method === "DELETE") return new Response(null, { status: 204 });
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    api.clearSession();
  });

  function renderTab(role: string) {
    const workspace = { id: 1, name: "Acme", slug: "acme", time_zone: "UTC", role } as Workspace;
    render(
      <AppProviders queryClient={createQueryClient()}>
        <WorkspaceProvider workspaces={[workspace]}>
          <ApiChannelTab />
        </WorkspaceProvider>
      </AppProviders>,
    );
  }

  it("lists the keys and shows the API's field error beside the webhook URL", async () => {
    renderTab("admin");
    const row = (await screen.findByText("Shop backend")).closest("li")!;
    expect(within(row).getByText("apk_AbCdEfGhIjKl_…")).toBeInTheDocument();
    expect(within(row).getByText("Deliver messages")).toBeInTheDocument();
    expect(within(row).getByText(/never used/)).toBeInTheDocument();
    expect(within(row).getByText(/owner@example.com/)).toBeInTheDocument();
    expect(screen.getByLabelText("Signing secret")).toHaveValue("••••••••GXd8");

    const url = screen.getByLabelText("Webhook URL");
    await userEvent.type(url, "ftp://nope");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Enter a valid URL.")).toBeInTheDocument();
    expect(url).toHaveAttribute("aria-invalid", "true");

    await userEvent.clear(url);
    await userEvent.type(url, "https://shop.example.com/hooks");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByText("Saved")).toBeInTheDocument();
    expect(screen.queryByText("Enter a valid URL.")).not.toBeInTheDocument();
    expect(JSON.parse(String(calls("PUT", "/api/channels/api/settings").at(-1)![1]!.body))).toEqual({ webhook_url: "https://shop.example.com/hooks" });
  });

  it("issues a key and shows the whole key once", async () => {
    renderTab("owner");
    await screen.findByText("Shop backend");
    await userEvent.click(screen.getByRole("button", { name: "Issue key" }));
    expect(screen.getByText("This field is required.")).toBeInTheDocument();
    await userEvent.click(screen.getByLabelText("Deliver customer messages on the API channel"));
    await userEvent.type(screen.getByLabelText("Name"), "CRM sync");
    await userEvent.click(screen.getByRole("button", { name: "Issue key" }));
    expect(screen.getByText("Choose at least one scope.")).toBeInTheDocument();
    expect(calls("POST", KEYS)).toHaveLength(0);

    await userEvent.click(screen.getByLabelText("Read conversations and their messages"));
    await userEvent.click(screen.getByRole("button", { name: "Issue key" }));
    const shown = await screen.findByLabelText("API key “CRM sync”");
    expect(shown).toHaveValue("apk_ZyXwVuTsRqPo_theWholeSecretPart");
    expect(shown).toHaveAttribute("readonly");
    expect(screen.getByText(/you will not see it again/)).toBeInTheDocument();
    expect(JSON.parse(String(calls("POST", KEYS)[0][1]!.body))).toEqual({ name: "CRM sync", scopes: ["conversations_read"] });

    await userEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByDisplayValue("apk_ZyXwVuTsRqPo_theWholeSecretPart")).not.toBeInTheDocument();
    expect(screen.getByLabelText("Name")).toHaveValue("");
  });

  it("rotates the secret and revokes a key only after confirming", async () => {
    renderTab("admin");
    await screen.findByText("Shop backend");
    await userEvent.click(screen.getByRole("button", { name: "Rotate secret" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Cancel" }));
    expect(calls("POST", "/api/channels/api/rotate-secret")).toHaveLength(0);

    await userEvent.click(screen.getByRole("button", { name: "Rotate secret" }));
    await userEvent.click(within(await screen.findByRole("dialog")).getByRole("button", { name: "Rotate secret" }));
    expect(await screen.findByLabelText("New signing secret")).toHaveValue("the-whole-new-secret-QmZ1");
    expect(calls("POST", "/api/channels/api/rotate-secret")).toHaveLength(1);

    await userEvent.click(screen.getByRole("button", { name: "Revoke the key Shop backend" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Revoke “Shop backend”?");
    await userEvent.click(within(dialog).getByRole("button", { name: "Revoke" }));
    expect(await screen.findByText("Key revoked")).toBeInTheDocument();
    expect(calls("DELETE", `${KEYS}/7`)).toHaveLength(1);
  });

  it("shows a member the explanation without forms or admin-only requests", async () => {
    renderTab("member");
    expect(await screen.findByText("Managed by owners and admins")).toBeInTheDocument();
    expect(screen.getByText("How it works")).toBeInTheDocument();
    expect(screen.queryByRole("textbox")).not.toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe("ingestExample", () => {
  it("is the request a server sends, with the key header and the body fields", () => {
    const example = ingestExample("https://app.example.com");
    expect(example.split("\n").slice(0, 3)).toEqual([
      "POST https://app.example.com/api/channels/api/messages",
      "Authorization: Api-Key apk_…",
      "Content-Type: application/json",
    ]);
    const body = JSON.parse(example.slice(example.indexOf("{"))) as Record<string, string>;
    expect(Object.keys(body)).toEqual(["external_chat_id", "external_message_id", "text", "customer_name"]);
  });
});

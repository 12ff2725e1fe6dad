import { act, render, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import type { QueryClient } from "@tanstack/react-query";
import { createMemoryRouter, RouterProvider } from "react-router";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { api } from "../../api/client";
import { createQueryClient } from "../../api/queryClient";
import { deliverRealtimeEvent } from "../../api/realtime";
import type { KommoStatus, Workspace } from "../../api/types";
import { AppProviders } from "../../App";
import i18n from "../../i18n";
import { json } from "../../test/http";
import { WorkspaceProvider } from "../workspaces/workspace";
import { IntegrationsPage } from "./IntegrationsPage";
import { connected, disconnected, fields, pipelines, problem, STATUS } from "./kommoFixtures";

describe("Integrations → Kommo", () => {
  const fetch = vi.fn<typeof globalThis.fetch>();
  let status: KommoStatus;
  let connect: (body: Record<string, string>) => Response;
  let saveSettings: (body: Record<string, unknown>) => Response;
  const calls = (method: string, path: string) =>
    fetch.mock.calls.filter(([url, init]) => String(url).split("?")[0].endsWith(path) && (init?.method ?? "GET") === method);

  beforeEach(async () => {
    await i18n.changeLanguage("en");
    api.setAccess("a");
    status = connected;
    connect = () => json({ authorize_url: "https://www.kommo.com/oauth?client_id=x&state=abc", state: "abc" });
    saveSettings = () => json(status);
    fetch.mockReset();
    fetch.mockImplementation(async (input, init) => {
      const url = String(input);
      const path = url.split("?")[0];
      if (path.endsWith(`${STATUS}/connect`)) return connect(JSON.parse(String(init!.body)) as Record<string, string>);
      if (path.endsWith(`${STATUS}/sync`)) return json(status, 202);
      if (path.endsWith(`${STATUS}/settings`)) return saveSettings(JSON.parse(String(init!.body)) as Record<string, unknown>);
      if (path.endsWith(`${STATUS}/pipelines`)) return json(pipelines);
      if (path.endsWith(`${STATUS}/fields`)) return json(fields);
      if (path.endsWith(`${STATUS}/users`)) return json([]);
      if (path.endsWith(`${STATUS}/disconnect`)) return new Response(null, { status: 204 });
      if (path.endsWith(STATUS) && url.includes("check=1")) return json({ ...status, webhook: { ...status.webhook, disabled: true } });
      if (path.endsWith(STATUS)) return json(status);
      return json({});
    });
    vi.stubGlobal("fetch", fetch);
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
    api.clearSession();
  });

  function renderPage(role = "owner", entry = "/integrations") {
    const queryClient: QueryClient = createQueryClient();
    const router = createMemoryRouter([{ path: "/integrations", element: <IntegrationsPage /> }], { initialEntries: [entry] });
    const workspace = { id: 1, name: "Acme", slug: "acme", time_zone: "UTC", role } as Workspace;
    render(
      <AppProviders queryClient={queryClient}>
        <WorkspaceProvider workspaces={[workspace]}>
          <RouterProvider router={router} />
        </WorkspaceProvider>
      </AppProviders>,
    );
    return { queryClient, router };
  }

  it("shows the connected account, its sync, webhooks, reply route, the URLs to paste and the synced data", async () => {
    renderPage();
    expect(await screen.findByText("Acme Furniture")).toBeInTheDocument();
    expect(screen.getByText("acme.kommo.com")).toBeInTheDocument();
    expect(screen.getByText("by owner@example.com")).toBeInTheDocument();
    expect(screen.getAllByText("Connected").length).toBeGreaterThan(0);
    const result = screen.getByLabelText("Last sync result");
    expect(within(result).getByText("Lead fields").nextSibling).toHaveTextContent("4");
    expect(within(result).getByText("Stages").nextSibling).toHaveTextContent("9");
    expect(screen.getByText("Received (24 h)").nextSibling).toHaveTextContent("42");
    expect(screen.getByText("Kommo answered 504.")).toBeInTheDocument();
    expect(screen.getByLabelText("widget_request URL")).toHaveValue("http://testserver/api/webhooks/kommo/s3cret/salesbot");
    expect(screen.getByLabelText("Message text")).toHaveValue("{{json.answer}}");
    expect(screen.getByLabelText("Salesbot bot ID")).toHaveValue("777");
    expect(screen.getByRole("radio", { name: /^Salesbot/ })).toBeChecked();
    // A private integration's URLs are for long-lived connections only.
    expect(screen.queryByLabelText("Redirect URL")).not.toBeInTheDocument();

    const stages = await screen.findByRole("list", { name: "Stages of Sales" });
    expect(within(stages).getByText("New lead")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("tab", { name: "Lead fields" }));
    expect(await screen.findByText("Budget")).toBeInTheDocument();
    expect(within(screen.getByRole("list", { name: "Values of Interest" })).getByText("Beds")).toBeInTheDocument();

    expect(screen.getByText("Not checked")).toBeInTheDocument();
    await userEvent.click(screen.getByRole("button", { name: "Check" }));
    expect(await screen.findByText("Disabled by Kommo")).toBeInTheDocument();
  });

  it("chooses the Chats API with a channel of the workspace's own, checked here and by Kommo", async () => {
    const chats = {
      available: false,
      own_channel: false,
      channel_id: "",
      channel_code: "",
      connected: false,
      scope_id: "",
      connected_at: null,
      hook_url: "http://testserver/api/webhooks/kommo/chats/:scope_id",
    };
    status = { ...connected, chats };
    saveSettings = (body) => {
      const channel = body.chats_channel as Record<string, string>;
      if (channel.secret === "wrong") return problem(502, "kommo_forbidden", "Kommo's Chats API refused: X-Signature does not match");
      status = {
        ...connected,
        reply_route: "chats_api",
        chats: { ...chats, available: true, own_channel: true, channel_id: channel.channel_id, channel_code: channel.code, connected: true, scope_id: `${channel.channel_id}_amojo-1` },
      };
      return json(status);
    };
    renderPage();
    await userEvent.click(await screen.findByRole("radio", { name: /^Chats API/ }));
    const box = screen.getByTestId("chats-channel");
    expect(within(box).getByText("Not connected")).toBeInTheDocument();
    expect(within(box).getByLabelText("Hook URL to give Kommo's support")).toHaveValue(chats.hook_url);
    // The platform has no channel of its own: the workspace's is asked for.
    expect(within(box).getByRole("checkbox", { name: /Use a channel of our own/ })).toBeChecked();
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(within(box).getAllByText("Required with a channel of your own.")).toHaveLength(3);
    expect(calls("PATCH", `${STATUS}/settings`)).toHaveLength(0);

    await userEvent.type(within(box).getByLabelText("Channel ID"), "chan-1");
    await userEvent.type(within(box).getByLabelText("Channel secret"), "wrong");
    await userEvent.type(within(box).getByLabelText("Channel code"), "acme.site");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("X-Signature does not match");

    await userEvent.clear(within(box).getByLabelText("Channel secret"));
    await userEvent.type(within(box).getByLabelText("Channel secret"), "s3cret");
    await userEvent.click(screen.getByRole("button", { name: "Save" }));
    const connectedBox = await screen.findByTestId("chats-channel");
    expect(await within(connectedBox).findByText("Connected to the account")).toBeInTheDocument();
    expect(within(connectedBox).getByText("chan-1_amojo-1")).toBeInTheDocument();
    expect(JSON.parse(String(calls("PATCH", `${STATUS}/settings`).at(-1)![1]!.body))).toEqual({
      reply_route: "chats_api",
      salesbot_bot_id: 777,
      chats_channel: { channel_id: "chan-1", code: "acme.site", secret: "s3cret" },
    });
    // Write-only: the stored secret is not on the page, and saving again keeps it.
    expect(within(connectedBox).getByLabelText("Channel secret")).toHaveValue("");
    expect(within(connectedBox).getByText("Stored: leave empty to keep it.")).toBeInTheDocument();
  });

  it("disconnects only after confirming", async () => {
    renderPage("admin");
    await userEvent.click(await screen.findByRole("button", { name: "Disconnect" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog).toHaveTextContent("Disconnect acme.kommo.com?");
    status = disconnected;
    await userEvent.click(within(dialog).getByRole("button", { name: "Disconnect" }));
    expect(await screen.findByText("Kommo is disconnected")).toBeInTheDocument();
    expect(calls("DELETE", `${STATUS}/disconnect`)).toHaveLength(1);
    expect(await screen.findByRole("button", { name: "Connect Kommo" })).toBeInTheDocument();
  });

  it("shows a member the explanation and no buttons", async () => {
    status = disconnected;
    renderPage("member");
    expect(await screen.findByText("Managed by owners and admins")).toBeInTheDocument();
    expect(screen.getByText(/Ask an owner or admin to connect it/)).toBeInTheDocument();
    expect(screen.queryByRole("button")).not.toBeInTheDocument();
  });

  it("asks to reconnect when Kommo refuses the access, with the reason", async () => {
    status = { ...connected, connected: false, status: "error", last_errors: [{ at: "2026-03-01T12:00:00Z", where: "auth", detail: "The refresh token was refused." }], setup: {} };
    renderPage();
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("Kommo refuses the platform's access: reconnect.");
    expect(alert).toHaveTextContent("The refresh token was refused.");
    expect(within(alert).getByRole("button", { name: "Reconnect" })).toBeInTheDocument();
    expect(screen.getAllByText("Needs attention").length).toBeGreaterThan(0);
    expect(screen.queryByRole("button", { name: "Sync now" })).not.toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Repair" })).not.toBeInTheDocument();
  });

  it("connects in a popup and follows its message", async () => {
    status = disconnected;
    const open = vi.spyOn(window, "open").mockReturnValue({ closed: false } as Window);
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Connect Kommo" }));
    await waitFor(() => expect(open).toHaveBeenCalledWith("https://www.kommo.com/oauth?client_id=x&state=abc", "kommo-oauth", "width=600,height=720"));
    expect(JSON.parse(String(calls("POST", `${STATUS}/connect`)[0][1]!.body))).toEqual({ mode: "oauth" });
    expect(screen.getByText("Finish in the Kommo window…")).toBeInTheDocument();

    const before = calls("GET", STATUS).length;
    const post = (data: unknown, origin = window.location.origin) => act(() => void window.dispatchEvent(new MessageEvent("message", { data, origin })));
    post({ type: "kommo.oauth", ok: true }, "https://evil.example.com");
    post({ type: "something.else", ok: true });
    expect(calls("GET", STATUS)).toHaveLength(before);

    post({ type: "kommo.oauth", ok: false, code: "kommo_oauth_denied", detail: "Access was not granted in Kommo." });
    expect(await screen.findByText("Kommo was not connected: Access was not granted in Kommo.")).toBeInTheDocument();

    status = connected;
    post({ type: "kommo.oauth", ok: true });
    expect(await screen.findByText("Kommo is connected")).toBeInTheDocument();
    expect(await screen.findByText("Acme Furniture")).toBeInTheDocument();
  });

  it("says how a full-page OAuth redirect went, then cleans the URL", async () => {
    const { router } = renderPage("owner", "/integrations?kommo=connected&tab=x");
    expect(await screen.findByText("Kommo is connected")).toBeInTheDocument();
    await waitFor(() => expect(router.state.location.search).toBe("?tab=x"));
  });

  it("offers the long-lived token without an OAuth app, and shows the API's field errors", async () => {
    status = disconnected;
    connect = (body) => {
      if (body.mode === "oauth") return problem(409, "kommo_oauth_not_configured", "Set KOMMO_CLIENT_ID…");
      if (body.base_domain === "example.com") return problem(400, "kommo_oauth_state_invalid", "'example.com' is not a Kommo account domain.");
      if (body.client_id.length > 5) return problem(400, "validation_error", "Invalid input.", { client_id: ["Ensure this field has no more than 5 characters."] });
      if (body.access_token === "revoked") return problem(502, "kommo_auth_failed", "Kommo refused the token.");
      return json(connected, 201);
    };
    renderPage();
    await userEvent.click(await screen.findByRole("button", { name: "Connect Kommo" }));
    expect(await screen.findByText(/no Kommo OAuth app set up/)).toBeInTheDocument();
    expect(screen.queryByRole("button", { name: "Connect Kommo" })).not.toBeInTheDocument();
    const form = screen.getByRole("form", { name: "Private integration (long-lived token)" });

    await userEvent.click(within(form).getByRole("button", { name: "Connect" }));
    expect(within(form).getAllByText("This field is required.")).toHaveLength(4);
    expect(calls("POST", `${STATUS}/connect`)).toHaveLength(1);

    await userEvent.type(within(form).getByLabelText("Account domain"), "example.com");
    await userEvent.type(within(form).getByLabelText("Integration ID"), "integration-123");
    await userEvent.type(within(form).getByLabelText("Long-lived token"), "revoked");
    await userEvent.type(within(form).getByLabelText("Secret key"), "shh");
    expect(within(form).getByLabelText("Secret key")).toHaveAttribute("type", "password");
    await userEvent.click(within(form).getByRole("button", { name: "Connect" }));
    expect(await within(form).findByText("'example.com' is not a Kommo account domain.")).toBeInTheDocument();
    expect(within(form).getByLabelText("Account domain")).toHaveAttribute("aria-invalid", "true");

    await userEvent.clear(within(form).getByLabelText("Account domain"));
    await userEvent.type(within(form).getByLabelText("Account domain"), "acme.kommo.com");
    await userEvent.click(within(form).getByRole("button", { name: "Connect" }));
    expect(await within(form).findByText("Ensure this field has no more than 5 characters.")).toBeInTheDocument();
    expect(within(form).getByLabelText("Integration ID")).toHaveAttribute("aria-invalid", "true");

    await userEvent.clear(within(form).getByLabelText("Integration ID"));
    await userEvent.type(within(form).getByLabelText("Integration ID"), "i-1");
    await userEvent.click(within(form).getByRole("button", { name: "Connect" }));
    expect(await within(form).findByRole("alert")).toHaveTextContent("Kommo refused the token.");

    await userEvent.clear(within(form).getByLabelText("Long-lived token"));
    await userEvent.type(within(form).getByLabelText("Long-lived token"), "good-token");
    status = connected;
    await userEvent.click(within(form).getByRole("button", { name: "Connect" }));
    expect(await screen.findByText("Acme Furniture")).toBeInTheDocument();
    expect(JSON.parse(String(calls("POST", `${STATUS}/connect`).at(-1)![1]!.body))).toEqual({
      mode: "long_lived",
      base_domain: "acme.kommo.com",
      access_token: "good-token",
      client_id: "i-1",
      client_secret: "shh",
    });
    // Write-only: nothing of the token is on the page any more.
    expect(screen.queryByDisplayValue("good-token")).not.toBeInTheDocument();
  });

  it("follows a sync's progress from the realtime events", async () => {
    const { queryClient } = renderPage();
    await screen.findByText("Acme Furniture");
    expect(screen.queryByRole("progressbar")).not.toBeInTheDocument();

    status = { ...connected, sync: { ...connected.sync!, status: "running", progress: 0, finished_at: null, result: {} } };
    await userEvent.click(screen.getByRole("button", { name: "Sync now" }));
    expect(await screen.findByRole("progressbar", { name: "Sync progress" })).toHaveAttribute("aria-valuenow", "0");
    expect(calls("POST", `${STATUS}/sync`)).toHaveLength(1);
    expect(screen.getByRole("button", { name: "Sync now" })).toBeDisabled();

    status = { ...status, sync: { ...status.sync!, progress: 60 } };
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "integration.sync", payload: { provider: "kommo", status: "running", progress: 60 } }));
    await waitFor(() => expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "60"));

    status = { ...connected, sync: { ...connected.sync!, result: { ...connected.sync!.result, users: 8 } } };
    await new Promise((resolve) => setTimeout(resolve, 550)); // past the realtime layer's coalescing window
    act(() => deliverRealtimeEvent(queryClient, 1, { type: "integration.sync", payload: { provider: "kommo", status: "ok", progress: 100 } }));
    await waitFor(() => expect(screen.queryByRole("progressbar")).not.toBeInTheDocument());
    const result = screen.getByLabelText("Last sync result");
    expect(within(result).getByText("Users").nextSibling).toHaveTextContent("8");
  });
});

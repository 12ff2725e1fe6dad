import type { KommoField, KommoPipeline, KommoStatus } from "../../api/types";

/** The Kommo connection as the API answers it, for the Integrations page's tests. */
export const STATUS = "/api/integrations/kommo";
export const connected: KommoStatus = {
  connected: true,
  status: "connected",
  auth_kind: "oauth",
  account: { id: 3101, subdomain: "acme", name: "Acme Furniture", domain: "acme.kommo.com" },
  connected_at: "2026-03-01T10:00:00Z",
  connected_by: "owner@example.com",
  token_expires_at: "2026-03-02T10:00:00Z",
  reply_route: "salesbot",
  salesbot_bot_id: 777,
  sync: {
    status: "ok",
    progress: 100,
    started_at: "2026-03-01T10:01:00Z",
    finished_at: "2026-03-01T10:02:00Z",
    result: { pipelines: 2, stages: 9, leads_fields: 4, contacts_fields: 3, companies_fields: 1, users: 5 },
    error: "",
  },
  webhook: { registered: true, registered_at: "2026-03-01T10:01:00Z", last_received_at: "2026-03-01T11:00:00Z", received_24h: 42, failed_24h: 1 },
  last_errors: [{ at: "2026-03-01T09:00:00Z", where: "webhook", detail: "Kommo answered 504." }],
  setup: {
    webhook_url: "http://testserver/api/webhooks/kommo/s3cret",
    widget_request_url: "http://testserver/api/webhooks/kommo/s3cret/salesbot",
    redirect_uri: "http://testserver/api/integrations/kommo/callback",
    revoke_hook_url: "http://testserver/api/webhooks/kommo/revoked",
    oauth_available: true,
  },
};
export const disconnected: KommoStatus = { connected: false, status: "disconnected" };
export const pipelines: KommoPipeline[] = [
  { id: 100, name: "Sales", sort: 1, is_main: true, is_archive: false, deleted_in_kommo: false, statuses: [{ id: 1001, name: "New lead", sort: 10, color: "#99ccff", type: 0 }] },
];
export const fields: KommoField[] = [
  { id: 5001, entity: "leads", name: "Budget", code: "", type: "numeric", enums: [], is_api_only: false, deleted_in_kommo: false },
  { id: 5002, entity: "leads", name: "Interest", code: "", type: "select", enums: [{ id: 1, value: "Sofas" }, { id: 2, value: "Beds" }], is_api_only: false, deleted_in_kommo: false },
];
export const problem = (status: number, code: string, detail: string, errors?: Record<string, string[]>) =>
  new Response(JSON.stringify({ type: "about:blank", title: "t", status, detail, code, errors }), {
    status,
    headers: { "Content-Type": "application/problem+json" },
  });

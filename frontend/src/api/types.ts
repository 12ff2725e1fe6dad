/**
 * API types. Those of endpoints that exist come from the generated OpenAPI types (schema.d.ts,
 * `npm run schema`); those of endpoints being built are written here from the agreed contract and
 * move to the generated types once the endpoint lands.
 */
import type { components } from "./schema";

type Schemas = components["schemas"];

export type Workspace = Schemas["WorkspaceMembershipOutput"];
export type Role = "owner" | "admin" | "member" | (string & {});

// Pending: accounts' /api/user/profile (GET/PATCH). Fields the SPA uses; extra fields are ignored.
export interface Profile {
  id: number;
  email: string;
  name: string;
  avatar?: string | null;
  language?: string;
  email_verified?: boolean;
}

export interface RealtimeEvent<P = Record<string, unknown>> {
  type: string;
  payload: P;
}

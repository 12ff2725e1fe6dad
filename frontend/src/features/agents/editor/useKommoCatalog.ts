import type { UseQueryResult } from "@tanstack/react-query";
import type { KommoStatus } from "../../../api/types";
import { useKommoFields, useKommoPipelines, useKommoStatus } from "../../integrations/api";

/**
 * Whether the pickers can offer Kommo's synced pipelines and fields: `ready` when Kommo is connected
 * and something was synced. Otherwise the tabs keep the saved ids as a read-only list (with remove)
 * and say why (`disconnected`, `unsynced`, `error`), linking to the Integrations page.
 */
export type CatalogState = "loading" | "ready" | "disconnected" | "unsynced" | "error";

function stateOf(status: UseQueryResult<KommoStatus>, list: UseQueryResult<unknown[]>, anyLive: boolean): CatalogState {
  if (status.isPending) return "loading";
  if (status.isError) return "error";
  if (!status.data?.connected) return "disconnected";
  if (list.isPending) return "loading";
  if (list.isError) return "error";
  return anyLive ? "ready" : "unsynced";
}

/** The synced pipelines (deleted ones included, marked) and whether to pick from them. */
export function usePipelineCatalog() {
  const status = useKommoStatus();
  const list = useKommoPipelines();
  const pipelines = list.data ?? [];
  return { state: stateOf(status, list, pipelines.some((p) => !p.deleted_in_kommo)), pipelines };
}

/** The synced fields of every entity (deleted ones included, marked) and whether to pick from them. */
export function useFieldCatalog() {
  const status = useKommoStatus();
  const list = useKommoFields();
  const fields = list.data ?? [];
  return { state: stateOf(status, list, fields.some((f) => !f.deleted_in_kommo)), fields };
}

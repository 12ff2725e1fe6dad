import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey, type MutationCallbacks } from "../../api/hooks";
import type {
  KommoAuthorize,
  KommoConnectInput,
  KommoField,
  KommoPipeline,
  KommoReplyRoute,
  KommoStatus,
  KommoUser,
  Paginated,
} from "../../api/types";

/*
 * Kommo's queries live under ["ws", <workspace>, "integration", "kommo", …]: the realtime events
 * `integration.sync` and `integration.updated` invalidate every one of them (src/api/realtime.ts), so
 * the status, its sync progress and the synced pipelines and fields follow the server by themselves.
 */

const BASE = "/api/integrations/kommo";

/** The lists answer a plain array; the generated schema calls them paginated: accept both. */
const rowsOf = <T,>(data: T[] | Paginated<T> | undefined | null): T[] =>
  Array.isArray(data) ? data : Array.isArray(data?.results) ? data.results : [];

export function useKommoStatus() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("integration", "kommo"),
    queryFn: ({ signal }) => api.get<KommoStatus>(BASE, { signal }),
  });
}

/** A mutation answered with the status: the answer replaces the cached status. */
function useStatusMutation<V>(fn: (vars: V) => Promise<KommoStatus>, callbacks: MutationCallbacks<KommoStatus, V>) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    ...callbacks,
    onSuccess: (data, ...rest) => {
      queryClient.setQueryData(key("integration", "kommo"), data);
      return callbacks.onSuccess?.(data, ...rest);
    },
  });
}

/** GET the status with `?check=1`: Kommo is also asked whether our webhook is enabled. */
export function useKommoCheck(callbacks: MutationCallbacks<KommoStatus, void> = {}) {
  return useStatusMutation(() => api.get<KommoStatus>(BASE, { query: { check: 1 } }), callbacks);
}

export function useKommoSync(callbacks: MutationCallbacks<KommoStatus, void> = {}) {
  return useStatusMutation(() => api.post<KommoStatus>(`${BASE}/sync`), callbacks);
}

export function useKommoRepair(callbacks: MutationCallbacks<KommoStatus, void> = {}) {
  return useStatusMutation(() => api.post<KommoStatus>(`${BASE}/repair`), callbacks);
}

export interface KommoSettingsInput {
  reply_route?: KommoReplyRoute;
  salesbot_bot_id?: number | null;
  /** The workspace's own Chats API channel; an empty id: the platform's. An empty secret keeps the stored one. */
  chats_channel?: { channel_id: string; secret?: string; code?: string };
}

export function useKommoSettings(callbacks: MutationCallbacks<KommoStatus, KommoSettingsInput> = {}) {
  return useStatusMutation((input: KommoSettingsInput) => api.patch<KommoStatus>(`${BASE}/settings`, input), callbacks);
}

/** A private integration's long-lived token: answered (201) with the new status. */
export type LongLivedInput = Required<Pick<KommoConnectInput, "base_domain" | "access_token" | "client_id" | "client_secret">>;

export function useKommoConnectLongLived(callbacks: MutationCallbacks<KommoStatus, LongLivedInput> = {}) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  return useStatusMutation(
    async (input: LongLivedInput) => {
      const status = await api.post<KommoStatus>(`${BASE}/connect`, { mode: "long_lived", ...input });
      void queryClient.invalidateQueries({ queryKey: key("integration") });
      return status;
    },
    callbacks,
  );
}

/** The consent page to open for OAuth (the popup; see useKommoOAuth). */
export function useKommoAuthorize(callbacks: MutationCallbacks<KommoAuthorize, void> = {}) {
  return useMutation({ mutationFn: () => api.post<KommoAuthorize>(`${BASE}/connect`, { mode: "oauth" }), ...callbacks });
}

export function useKommoDisconnect(callbacks: MutationCallbacks<void, void> = {}) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete(`${BASE}/disconnect`),
    ...callbacks,
    onSuccess: (...args) => {
      void queryClient.invalidateQueries({ queryKey: key("integration") });
      return callbacks.onSuccess?.(...args);
    },
  });
}

/** Every synced pipeline, those deleted in Kommo included (marked): an agent may still name them. */
export function useKommoPipelines() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("integration", "kommo", "pipelines"),
    queryFn: ({ signal }) => api.get<KommoPipeline[] | Paginated<KommoPipeline>>(`${BASE}/pipelines`, { signal, query: { include_deleted: 1 } }),
    select: rowsOf,
  });
}

/** Every synced field of leads, contacts and companies, those deleted in Kommo included (marked). */
export function useKommoFields() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("integration", "kommo", "fields"),
    queryFn: ({ signal }) => api.get<KommoField[] | Paginated<KommoField>>(`${BASE}/fields`, { signal, query: { include_deleted: "true" } }),
    select: rowsOf,
  });
}

export function useKommoUsers() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("integration", "kommo", "users"),
    queryFn: ({ signal }) => api.get<KommoUser[] | Paginated<KommoUser>>(`${BASE}/users`, { signal }),
    select: rowsOf,
  });
}

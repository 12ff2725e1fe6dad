import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import type { ApiChannelSettings, ApiKey, ApiKeyIssued, ApiKeyScope, Role } from "../../api/types";
import { useWorkspace } from "../workspaces/workspace";

/** Every scope a workspace API key can carry (accounts' ApiKeyScope), in the order the form lists them. */
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["channel_api", "conversations_read"];

/** Owners and admins configure the channel and manage keys; the API answers 403 to members. */
export function canManageApiChannel(role: Role | undefined): boolean {
  return role === "owner" || role === "admin";
}

/** The request a server sends to deliver a customer's message (shown on the tab as an example). */
export function ingestExample(origin: string): string {
  const body = {
    external_chat_id: "chat-42",
    external_message_id: "msg-1001",
    text: "Do you ship to Lisbon?",
    customer_name: "Ana Costa",
  };
  return [
    `POST ${origin}/api/channels/api/messages`,
    "Authorization: Api-Key apk_…",
    "Content-Type: application/json",
    "",
    JSON.stringify(body, null, 2),
  ].join("\n");
}

export function useApiChannelSettings(enabled = true) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("api_channel"),
    queryFn: ({ signal }) => api.get<ApiChannelSettings>("/api/channels/api/settings", { signal }),
    enabled,
  });
}

export function useSaveWebhook() {
  const key = useWsKey();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (webhook_url: string) => api.put<ApiChannelSettings>("/api/channels/api/settings", { webhook_url }),
    onSuccess: (data) => queryClient.setQueryData(key("api_channel"), data),
  });
}

/** The new secret is in this mutation's `data` only: the settings query keeps the masked form. */
export function useRotateSecret() {
  const key = useWsKey();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ApiChannelSettings>("/api/channels/api/rotate-secret"),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key("api_channel") }),
  });
}

function useKeysPath() {
  const { current } = useWorkspace();
  return `/api/workspaces/${current?.id}/api-keys`;
}

export function useApiKeys(enabled = true) {
  const key = useWsKey();
  const path = useKeysPath();
  return useQuery({
    queryKey: key("api_key"),
    queryFn: ({ signal }) => api.get<ApiKey[]>(path, { signal }),
    enabled,
  });
}

/** The whole key is in this mutation's `data` only (the list shows its hint). */
export function useIssueApiKey() {
  const key = useWsKey();
  const path = useKeysPath();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { name: string; scopes: ApiKeyScope[] }) => api.post<ApiKeyIssued>(path, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key("api_key") }),
  });
}

export function useRevokeApiKey() {
  const key = useWsKey();
  const path = useKeysPath();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.delete(`${path}/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: key("api_key") }),
  });
}

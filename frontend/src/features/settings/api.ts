import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { api } from "../../api/client";
import { useWsKey, type MutationCallbacks } from "../../api/hooks";
import { fetchAllPages } from "../../api/paging";
import { queryKeys } from "../../api/queryClient";
import type {
  AICredential,
  ApiChannelSettings,
  ApiKey,
  ApiKeyIssued,
  ApiKeyScope,
  ConnectionTest,
  Invitation,
  Member,
  Paginated,
  Profile,
  UserSettings,
  Workspace,
} from "../../api/types";
import { applyProfileLanguage } from "../../i18n";
import { useModels } from "../agents/api";
import { useWorkspace } from "../workspaces/workspace";

// --- profile, password, notifications (the user's own: ["me", …], no X-Workspace) ------------------

export function useProfile() {
  const query = useQuery({
    queryKey: queryKeys.profile,
    queryFn: ({ signal }) => api.get<Profile>("/api/user/profile", { workspace: false, signal }),
    staleTime: 5 * 60_000,
  });
  const language = query.data?.language;
  useEffect(() => applyProfileLanguage(language), [language]);
  return query;
}

export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Partial<Pick<Profile, "name" | "language">>) =>
      api.patch<Profile>("/api/user/profile", changes, { workspace: false }),
    onSuccess: (profile) => queryClient.setQueryData(queryKeys.profile, profile),
  });
}

export function useUploadAvatar(callbacks: MutationCallbacks<Profile, File> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append("avatar", file);
      return api.post<Profile>("/api/user/avatar", form, { workspace: false });
    },
    ...callbacks,
    onSuccess: (profile, ...rest) => {
      queryClient.setQueryData(queryKeys.profile, profile);
      return callbacks.onSuccess?.(profile, ...rest);
    },
  });
}

/** The server ends the other sessions; this one goes on with a new access token and cookie. */
export function useChangePassword(callbacks: MutationCallbacks<void, { current_password: string; new_password: string }> = {}) {
  return useMutation({
    mutationFn: (passwords: { current_password: string; new_password: string }) => api.changePassword(passwords),
    ...callbacks,
  });
}

export function useUserSettings() {
  return useQuery({
    queryKey: queryKeys.settings,
    queryFn: ({ signal }) => api.get<UserSettings>("/api/user/settings", { workspace: false, signal }),
  });
}

export function useSaveNotifications(callbacks: MutationCallbacks<UserSettings, UserSettings["notifications"]> = {}) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (notifications: UserSettings["notifications"]) =>
      api.patch<UserSettings>("/api/user/settings", { notifications }, { workspace: false }),
    ...callbacks,
    onSuccess: (settings, ...rest) => {
      queryClient.setQueryData(queryKeys.settings, settings);
      return callbacks.onSuccess?.(settings, ...rest);
    },
  });
}

// --- the workspace itself: name and time zone (admins) --------------------------------------------

/** The answer is the workspace as the list shows it: the list is refetched, so every page sees the change. */
export function useUpdateWorkspace(workspaceId: number) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: { name?: string; time_zone?: string }) => api.patch<Workspace>(`/api/workspaces/${workspaceId}`, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.workspaces }),
  });
}

// --- team: the current workspace's members and invitations --------------------------------------

const results = <T>(data: T[] | Paginated<T>) => (Array.isArray(data) ? data : data.results);

export function useMembers() {
  const key = useWsKey();
  const { current } = useWorkspace();
  return useQuery({
    queryKey: key("member"),
    queryFn: ({ signal }) => api.get<Member[] | Paginated<Member>>(`/api/workspaces/${current?.id}/members`, { signal }),
    select: results,
  });
}

export function useInvitations() {
  const key = useWsKey();
  const { current } = useWorkspace();
  return useQuery({
    queryKey: key("invitation"),
    queryFn: ({ signal }) => api.get<Invitation[] | Paginated<Invitation>>(`/api/workspaces/${current?.id}/invitations`, { signal }),
    select: results,
  });
}

/** Mutations of the team refetch its members and invitations (with `awaitRefetch`, the mutation is pending until they are back). */
function useTeamMutation<V>(fn: (workspace: number | undefined, vars: V) => Promise<unknown>, callbacks: MutationCallbacks<unknown, V>, awaitRefetch: boolean) {
  const key = useWsKey();
  const { current } = useWorkspace();
  const queryClient = useQueryClient();
  const refresh = () =>
    Promise.all([queryClient.invalidateQueries({ queryKey: key("member") }), queryClient.invalidateQueries({ queryKey: key("invitation") })]);
  return useMutation({
    mutationFn: (vars: V) => fn(current?.id, vars),
    ...callbacks,
    onSuccess: async (...args) => {
      await callbacks.onSuccess?.(...args);
      if (awaitRefetch) await refresh();
      else void refresh();
    },
  });
}

export function useInvite(callbacks: MutationCallbacks<unknown, { email: string; role: string }> = {}) {
  return useTeamMutation((ws, invitation: { email: string; role: string }) => api.post(`/api/workspaces/${ws}/invitations`, invitation), callbacks, false);
}

export function useSetMemberRole(callbacks: MutationCallbacks<unknown, { id: number; role: string }> = {}) {
  return useTeamMutation((ws, v: { id: number; role: string }) => api.patch(`/api/workspaces/${ws}/members/${v.id}`, { role: v.role }), callbacks, true);
}

export function useRemoveMember(callbacks: MutationCallbacks<unknown, number> = {}) {
  return useTeamMutation((ws, member: number) => api.delete(`/api/workspaces/${ws}/members/${member}`), callbacks, true);
}

export function useRevokeInvitation(callbacks: MutationCallbacks<unknown, number> = {}) {
  return useTeamMutation((ws, invitation: number) => api.delete(`/api/workspaces/${ws}/invitations/${invitation}`), callbacks, true);
}

// --- AI credentials of the workspace ------------------------------------------------------------

export interface AICredentialInput {
  provider: string;
  label: string;
  api_key: string;
  base_url: string;
}

export function useAiCredentials() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("ai_credential"),
    // A short list shown whole: every page of it.
    queryFn: ({ signal }) => fetchAllPages<AICredential>("/api/ai/credentials", { signal, query: { page_size: 100 } }),
  });
}

/** A key added or removed changes which agents' models can answer: their status is refetched too. */
function useRefreshCredentials() {
  const key = useWsKey();
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: key("ai_credential") }), queryClient.invalidateQueries({ queryKey: key("agent") })]);
}

export function useCreateAiCredential(callbacks: MutationCallbacks<AICredential, AICredentialInput> = {}) {
  const refresh = useRefreshCredentials();
  return useMutation({
    mutationFn: (input: AICredentialInput) => api.post<AICredential>("/api/ai/credentials", input),
    ...callbacks,
    onSuccess: async (...args) => {
      await callbacks.onSuccess?.(...args);
      void refresh();
    },
  });
}

export function useDeleteAiCredential(callbacks: MutationCallbacks<void, number> = {}) {
  const refresh = useRefreshCredentials();
  return useMutation({
    mutationFn: (id: number) => api.delete(`/api/ai/credentials/${id}`),
    ...callbacks,
    onSuccess: async (...args) => {
      await callbacks.onSuccess?.(...args);
      await refresh();
    },
  });
}

/** A test call through a credential, with a model of its provider from the catalogue. */
export function useTestAiCredential(callbacks: MutationCallbacks<ConnectionTest, AICredential> = {}) {
  const models = useModels();
  return useMutation({
    mutationFn: (credential: AICredential) => {
      const model = (models.data ?? []).find((m) => m.provider === credential.provider);
      return api.post<ConnectionTest>("/api/ai/test", { provider: credential.provider, model_id: model?.model_id ?? "", credential_id: credential.id });
    },
    ...callbacks,
  });
}

// --- the API channel: webhook, signing secret, workspace API keys ------------------------------

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

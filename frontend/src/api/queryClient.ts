import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./problem";

/**
 * Query keys: ["me", …] for the user's own data, ["workspaces"] for the list, and
 * ["ws", <workspace id>, <entity>, …] for workspace data — switching workspace drops ["ws"].
 */
export const queryKeys = {
  profile: ["me", "profile"] as const,
  notifications: ["me", "notifications"] as const,
  settings: ["me", "settings"] as const,
  workspaces: ["workspaces"] as const,
  workspace: (workspaceId: number, entity: string, ...rest: unknown[]) => ["ws", workspaceId, entity, ...rest] as const,
};

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        // Client errors (4xx) will not fix themselves by retrying; network and 5xx errors might.
        retry: (count, error) => !(error instanceof ApiError && error.status >= 400 && error.status < 500) && count < 2,
      },
      mutations: { retry: false },
    },
  });
}

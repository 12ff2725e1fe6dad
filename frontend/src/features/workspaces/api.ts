import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { queryKeys } from "../../api/queryClient";
import type { Workspace } from "../../api/types";

/** The workspaces the user belongs to, with their role in each. */
export function useWorkspacesQuery() {
  return useQuery({
    queryKey: queryKeys.workspaces,
    queryFn: ({ signal }) => api.get<Workspace[]>("/api/workspaces", { workspace: false, signal }),
  });
}

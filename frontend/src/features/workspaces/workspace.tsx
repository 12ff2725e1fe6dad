import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { api } from "../../api/client";
import type { Workspace } from "../../api/types";

interface WorkspaceApi {
  workspaces: Workspace[];
  current: Workspace | null;
  switchWorkspace: (id: number) => void;
}

const WorkspaceContext = createContext<WorkspaceApi | null>(null);

/**
 * The current workspace: the tab's last choice if still a member, else the first. Switching drops
 * every ["ws", …] query so no page shows the previous workspace's data.
 */
export function WorkspaceProvider({ workspaces, children }: { workspaces: Workspace[]; children: ReactNode }) {
  const queryClient = useQueryClient();
  const [chosen, setChosen] = useState<number | null>(api.workspaceId());
  const current = workspaces.find((w) => w.id === chosen) ?? workspaces[0] ?? null;
  if (current && api.workspaceId() !== current.id) api.setWorkspace(current.id);

  const switchWorkspace = useCallback(
    (id: number) => {
      api.setWorkspace(id);
      queryClient.removeQueries({ queryKey: ["ws"] });
      setChosen(id);
    },
    [queryClient],
  );
  const value = useMemo(() => ({ workspaces, current, switchWorkspace }), [workspaces, current, switchWorkspace]);
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): WorkspaceApi {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error("useWorkspace outside WorkspaceProvider");
  return workspace;
}

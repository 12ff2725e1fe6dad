import { useCallback } from "react";
import { useWorkspace } from "../features/workspaces/workspace";
import { queryKeys } from "./queryClient";

/** Query keys of the current workspace: `wsKey("agent", id)` → ["ws", <workspace>, "agent", id]. */
export function useWsKey() {
  const { current } = useWorkspace();
  const id = current?.id ?? 0;
  return useCallback((entity: string, ...rest: unknown[]) => queryKeys.workspace(id, entity, ...rest), [id]);
}

import type { UseMutationOptions } from "@tanstack/react-query";
import { useCallback } from "react";
import { useWorkspace } from "../features/workspaces/workspace";
import { queryKeys } from "./queryClient";

/** Query keys of the current workspace: `wsKey("agent", id)` → ["ws", <workspace>, "agent", id]. */
export function useWsKey() {
  const { current } = useWorkspace();
  const id = current?.id ?? 0;
  return useCallback((entity: string, ...rest: unknown[]) => queryKeys.workspace(id, entity, ...rest), [id]);
}

/**
 * What a component adds to a mutation hook of a feature's api.ts (a toast, its form's state). Given to
 * the hook rather than to `mutate()`, they run like the hook's own (also once the component is gone).
 */
export type MutationCallbacks<TData, TVariables> = Pick<UseMutationOptions<TData, Error, TVariables>, "onSuccess" | "onError">;

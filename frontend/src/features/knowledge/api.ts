import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import type { CategoryNode } from "../../api/types";

export function useCategoryTree() {
  const key = useWsKey();
  return useQuery({
    queryKey: key("kb_category", "tree"),
    queryFn: ({ signal }) => api.get<CategoryNode[]>("/api/knowledge/categories/tree", { signal }),
  });
}

/** A mutation that refetches the knowledge base's categories and articles afterwards. */
export function useKbMutation<V, R>(fn: (vars: V) => Promise<R>) {
  const queryClient = useQueryClient();
  const key = useWsKey();
  return useMutation({
    mutationFn: fn,
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: key("kb_category") }),
        queryClient.invalidateQueries({ queryKey: key("kb_article") }),
      ]);
    },
  });
}

/** Depth-first list of [node, depth]. */
export function flatten(nodes: CategoryNode[], depth = 0): Array<[CategoryNode, number]> {
  return nodes.flatMap((node) => [[node, depth] as [CategoryNode, number], ...flatten(node.children ?? [], depth + 1)]);
}

/** True when `id` is `ancestor` or lies below it (a category cannot move into its own subtree). */
export function isWithin(nodes: CategoryNode[], ancestor: number, id: number): boolean {
  const find = (list: CategoryNode[]): CategoryNode | null => {
    for (const n of list) {
      if (n.id === ancestor) return n;
      const hit = find(n.children ?? []);
      if (hit) return hit;
    }
    return null;
  };
  const root = find(nodes);
  return root ? flatten([root]).some(([n]) => n.id === id) : false;
}

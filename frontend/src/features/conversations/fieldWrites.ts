import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import type { components } from "../../api/schema";

/** A CRM field value the update rules wrote (or tried to), as automations/api/serializers.py shows it. */
export type FieldWrite = components["schemas"]["FieldWriteOutput"];

/** The conversation's field updates, newest first. The engine's `field_writes.changed` event (after an
 * AI turn wrote or skipped something, and after an undo) refetches them (api/realtime.ts). */
export function useFieldWrites(conversationId: number) {
  const key = useWsKey();
  return useQuery({
    queryKey: key("field_writes", conversationId),
    queryFn: ({ signal }) => api.get<FieldWrite[]>(`/api/conversations/${conversationId}/field-writes`, { signal }),
  });
}

/** Put back the value the field held before the AI's write; the row comes back `undone`. */
export function useUndoFieldWrite(conversationId: number) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.post<FieldWrite>(`/api/field-writes/${id}/undo`, {}),
    onSuccess: (write) => {
      queryClient.setQueryData<FieldWrite[]>(key("field_writes", conversationId), (rows) => rows?.map((row) => (row.id === write.id ? write : row)));
      void queryClient.invalidateQueries({ queryKey: key("conversation", conversationId) });
    },
  });
}

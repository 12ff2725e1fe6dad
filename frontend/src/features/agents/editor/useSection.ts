import { useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { useWsKey } from "../../../api/hooks";
import type { Agent } from "../../../api/types";
import { useToast } from "../../../components/ui/toast";
import { useAgentSection, useSaveAgentSection } from "../api";

/** GET/PUT one configuration section of the agent: a saved section replaces the cached one, with a toast. */
export function useSection<T>(agent: Agent, path: string) {
  const key = useWsKey();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { t } = useTranslation();
  const query = useAgentSection<T>(agent.id, path);
  const save = useSaveAgentSection<T>(agent.id, path);
  const put = (body: T, onError?: (e: unknown) => void) =>
    save.mutate(body, {
      onSuccess: (data) => {
        queryClient.setQueryData(key("agent", agent.id, path), data);
        toast.success(t("common.saved"));
      },
      onError: onError ?? toast.error,
    });
  return { query, put, saving: save.isPending };
}

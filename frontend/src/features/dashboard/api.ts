import { useQuery } from "@tanstack/react-query";
import { api } from "../../api/client";
import { useWsKey } from "../../api/hooks";
import { useKommoStatus } from "../integrations/api";

interface Count {
  count: number;
}

export interface GettingStarted {
  agents: number;
  articles: number;
  playgroundChats: number;
  conversations: number;
  kommoConnected: boolean;
}

/** How far the workspace has come, counted from the lists themselves (one row each, the total). The
 * keys sit under each list's entity, so a realtime event that refreshes a list refreshes these too. */
export function useGettingStarted() {
  const key = useWsKey();
  const count = (entity: string, path: string) => ({
    queryKey: key(entity, "count", path),
    queryFn: ({ signal }: { signal: AbortSignal }) => api.get<Count>(path, { signal }).then((page) => page.count),
  });
  const agents = useQuery(count("agent", "/api/agents?page_size=1"));
  const articles = useQuery(count("kb_article", "/api/knowledge/articles?page_size=1"));
  const playground = useQuery(count("conversation", "/api/conversations?channel=playground&page_size=1"));
  const conversations = useQuery(count("conversation", "/api/conversations?page_size=1"));
  const kommo = useKommoStatus();
  const all = [agents, articles, playground, conversations, kommo];
  if (all.some((q) => q.isPending)) return { isPending: true as const, data: undefined };
  return {
    isPending: false as const,
    data: {
      agents: agents.data ?? 0,
      articles: articles.data ?? 0,
      playgroundChats: playground.data ?? 0,
      conversations: conversations.data ?? 0,
      kommoConnected: kommo.data?.connected === true,
    } satisfies GettingStarted,
  };
}

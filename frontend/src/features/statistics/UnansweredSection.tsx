import { useState } from "react";
import { useTranslation } from "react-i18next";
import { loadMoreProps } from "../../api/paging";
import { LoadMore } from "../../components/ui/LoadMore";
import { Tabs } from "../../components/ui/Tabs";
import { ErrorState, PageSkeleton } from "../../components/ui/states";
import { useToast } from "../../components/ui/toast";
import type { Period } from "../dashboard/statisticsApi";
import { ArticleEditor } from "../knowledge/ArticleEditor";
import { useDismissCluster, useResolveCluster, useUnanswered, type Cluster, type ClusterStatus } from "./api";
import { ClusterCard } from "./ClusterCard";

/** The article a cluster suggests: its question as the title, the customers' words as a starting point. */
export function articlePrefill(cluster: Cluster, intro: string) {
  const examples = cluster.examples.map((example) => `- ${example.text.replace(/\s+/g, " ")}`).join("\n");
  return { title: cluster.title.slice(0, 300), body: `${intro}\n${examples}\n` };
}

/** Questions the agent could not answer from the knowledge base, by meaning, with "create article" and "dismiss". */
export function UnansweredSection({ period }: { period: Period }) {
  const { t } = useTranslation();
  const toast = useToast();
  const [status, setStatus] = useState<ClusterStatus>("open");
  const [creating, setCreating] = useState<Cluster | null>(null);
  const list = useUnanswered(period, status);
  const dismiss = useDismissCluster();
  const resolve = useResolveCluster();
  const clusters = list.data?.items ?? [];
  function created(cluster: Cluster, article: number) {
    setCreating(null);
    resolve.mutate({ id: cluster.id, article }, { onSuccess: () => toast.success(t("statistics.resolved")), onError: toast.error });
  }
  return (
    <section className="mt-8" aria-labelledby="statistics-unanswered">
      <h2 id="statistics-unanswered" className="font-semibold">
        {t("statistics.unanswered")}
      </h2>
      <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{t("statistics.unansweredHint")}</p>
      <Tabs
        label={t("statistics.unanswered")}
        value={status}
        onChange={setStatus}
        tabs={(["open", "resolved", "dismissed"] as const).map((s) => [s, t(`statistics.statuses.${s}`)] as const)}
      />
      {list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.isPending ? (
        <PageSkeleton rows={2} />
      ) : clusters.length === 0 ? (
        <p className="mt-3 text-sm text-slate-500" data-testid="unanswered-empty">
          {t(`statistics.empty.${status}`)}
        </p>
      ) : (
        <ul className="mt-3 space-y-3">
          {clusters.map((cluster) => (
            <ClusterCard
              key={cluster.id}
              cluster={cluster}
              busy={dismiss.isPending || resolve.isPending}
              onDismiss={() => dismiss.mutate(cluster.id, { onSuccess: () => toast.success(t("statistics.dismissedToast")), onError: toast.error })}
              onCreateArticle={() => setCreating(cluster)}
            />
          ))}
        </ul>
      )}
      <LoadMore className="mt-3" {...loadMoreProps(list)} />
      {creating && (
        <ArticleEditor
          id={null}
          defaultCategory={null}
          prefill={articlePrefill(creating, t("statistics.articleIntro"))}
          onClose={() => setCreating(null)}
          onCreated={(article) => created(creating, article)}
        />
      )}
    </section>
  );
}

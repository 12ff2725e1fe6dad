import { BookPlus, EyeOff, MessageSquare } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import type { Cluster } from "./api";

/** One cluster of unanswered questions: how often, why, a few examples (with their conversations), and what to do. */
export function ClusterCard({ cluster, onDismiss, onCreateArticle, busy }: { cluster: Cluster; onDismiss: () => void; onCreateArticle: () => void; busy: boolean }) {
  const { t, i18n } = useTranslation();
  const date = new Intl.DateTimeFormat(i18n.language, { dateStyle: "medium" });
  const reasons = Object.entries(cluster.reasons).filter(([, count]) => count > 0);
  return (
    <li data-testid="unanswered-cluster" className="rounded-xl bg-white p-4 shadow-xs ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-medium break-words">{cluster.title}</h3>
          <p className="mt-0.5 text-xs text-slate-500 dark:text-slate-400">
            {t("statistics.seen", { first: date.format(new Date(cluster.first_seen_at)), last: date.format(new Date(cluster.last_seen_at)) })}
          </p>
        </div>
        <Badge tone="indigo">
          <span data-testid="cluster-count">{t("statistics.questions", { count: cluster.count })}</span>
        </Badge>
      </div>
      <div className="mt-2 flex flex-wrap gap-1">
        {reasons.map(([reason, count]) => (
          <Badge key={reason} tone={reason === "rejected" ? "red" : reason === "handoff" ? "amber" : "gray"}>
            {t(`statistics.reasons.${reason}`)} · {count}
          </Badge>
        ))}
      </div>
      <ul className="mt-3 space-y-1 text-sm">
        {cluster.examples.map((example) => (
          <li key={example.id} className="flex items-start gap-2">
            <MessageSquare className="mt-0.5 size-4 shrink-0 text-slate-400" aria-hidden />
            <span className="min-w-0 flex-1 break-words">{example.text}</span>
            <Link to={`/conversations/${example.conversation}`} className="shrink-0 text-xs text-indigo-600 hover:underline dark:text-indigo-400">
              {t("statistics.openConversation")}
            </Link>
          </li>
        ))}
      </ul>
      <div className="mt-3 flex flex-wrap items-center justify-end gap-2">
        {cluster.status === "open" ? (
          <>
            <Button variant="ghost" size="sm" onClick={onDismiss} disabled={busy}>
              <EyeOff className="size-4" aria-hidden />
              {t("statistics.dismiss")}
            </Button>
            <Button size="sm" onClick={onCreateArticle} disabled={busy}>
              <BookPlus className="size-4" aria-hidden />
              {t("statistics.createArticle")}
            </Button>
          </>
        ) : cluster.status === "resolved" ? (
          <Badge tone="green">
            <span data-testid="cluster-resolved">{t("statistics.resolvedBy", { title: cluster.article_title ?? "—" })}</span>
          </Badge>
        ) : (
          <Badge>{t("statistics.dismissed")}</Badge>
        )}
      </div>
    </li>
  );
}

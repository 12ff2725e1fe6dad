import { TriangleAlert } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { ModelStatus } from "../../api/types";
import { Badge } from "../../components/ui/Badge";
import { AI_CREDENTIALS_PATH, modelStatusMessage, providerLabel } from "./modelStatus";

/** A warning when the agent's chosen model cannot answer: why, what answers instead, and where to add the key. */
export function ModelStatusBanner({ status, className }: { status: ModelStatus | undefined; className?: string }) {
  const { t } = useTranslation();
  const message = modelStatusMessage(t, status);
  if (!status || !message) return null;
  return (
    <div role="status" data-testid="model-status" className={`flex gap-2 rounded-md bg-amber-50 p-3 text-sm text-amber-900 ring-1 ring-amber-200 dark:bg-amber-950/50 dark:text-amber-200 dark:ring-amber-900 ${className ?? ""}`}>
      <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
      <p>
        {message.text}{" "}
        {message.addKey && (
          <Link to={AI_CREDENTIALS_PATH} className="font-medium underline hover:no-underline">
            {t("aiModels.addKey", { provider: providerLabel(t, status.chosen.provider, status.provider_name) })}
          </Link>
        )}
      </p>
    </div>
  );
}

/** The agents list's short form: a badge whose title says the whole story. */
export function ModelStatusBadge({ status }: { status: ModelStatus | undefined }) {
  const { t } = useTranslation();
  const message = modelStatusMessage(t, status);
  if (!status || !message) return null;
  return (
    <span title={message.text} data-testid="model-status-badge">
      <Badge tone="amber" className="ml-2">
        <TriangleAlert className="size-3" aria-hidden />
        {message.addKey ? t("aiModels.badgeNoKey", { provider: providerLabel(t, status.chosen.provider, status.provider_name) }) : t("aiModels.badgeFails")}
      </Badge>
      <span className="sr-only">{message.text}</span>
    </span>
  );
}

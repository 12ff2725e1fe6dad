import { Info } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import type { Message } from "../../api/types";
import { AI_CREDENTIALS_PATH, providerLabel } from "../agents/modelStatus";

/** Under an AI reply written by another model than the agent's: which one, and why. */
export function ModelNote({ message }: { message: Message }) {
  const { t } = useTranslation();
  const model = message.metadata?.model;
  const chosen = model?.substituted_for;
  if (message.author !== "ai" || !model || !chosen) return null;
  const values = { model: model.name, chosen: chosen.name, provider: providerLabel(t, chosen.provider) };
  const noKey = model.reason === "no_credentials";
  return (
    <p data-testid="model-note" className="flex items-start gap-1 text-xs text-amber-700 dark:text-amber-400">
      <Info className="mt-px size-3.5 shrink-0" aria-hidden />
      <span>
        {t(noKey ? "aiModels.note.noKey" : "aiModels.note.fallback", values)}
        {noKey && (
          <>
            {" "}
            <Link to={AI_CREDENTIALS_PATH} className="font-medium underline hover:no-underline">
              {t("aiModels.addKey", { provider: values.provider })}
            </Link>
          </>
        )}
      </span>
    </p>
  );
}

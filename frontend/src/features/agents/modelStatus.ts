import type { TFunction } from "i18next";
import type { AIModel, ModelStatus } from "../../api/types";

/** Where a workspace adds its AI provider keys. */
export const AI_CREDENTIALS_PATH = "/settings?tab=ai";

/** A provider's name people know ("OpenAI", not `openai`; "OpenAI-compatible endpoint", not `openai_compatible`). */
export function providerLabel(t: TFunction, provider: string, fallback?: string): string {
  return t(`aiModels.providers.${provider}`, { defaultValue: fallback ?? provider });
}

/** What to tell people about an agent's model, or null when the chosen model answers. */
export function modelStatusMessage(t: TFunction, status: ModelStatus | undefined): { text: string; addKey: boolean } | null {
  if (!status || status.ready) return null;
  const values = {
    model: status.chosen.name,
    provider: providerLabel(t, status.chosen.provider, status.provider_name),
    instead: status.answers_instead?.name ?? "",
  };
  if (status.problem === "no_credentials") return { text: t("aiModels.status.noKey", values), addKey: true };
  if (status.problem === "not_a_chat_model") return { text: t("aiModels.status.notChat", values), addKey: false };
  return { text: t("aiModels.status.unknown", values), addKey: false };
}

/** The picker's models grouped by provider, in the registry's order. */
export function modelGroups(models: AIModel[]): [string, AIModel[]][] {
  const groups = new Map<string, AIModel[]>();
  for (const model of models) groups.set(model.provider, [...(groups.get(model.provider) ?? []), model]);
  return [...groups];
}

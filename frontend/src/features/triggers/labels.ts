import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import type { ActionInfo, FactInfo } from "./api";
import type { SummaryWords } from "./condition";

/** The names people read for facts, operators and action kinds: ours (en/ru) when we have one, else the API's label. */
export function useLabels(vocabulary: { facts?: FactInfo[]; actions?: ActionInfo[] } | undefined) {
  const { t } = useTranslation();
  const fact = useCallback(
    (name: string) => t(`triggers.facts.${name.replace(".", "_")}`, { defaultValue: vocabulary?.facts?.find((f) => f.name === name)?.label ?? name }),
    [t, vocabulary],
  );
  const op = useCallback((name: string) => t(`triggers.ops.${name}`, { defaultValue: name }), [t]);
  const action = useCallback(
    (kind: string) => t(`triggers.actionKinds.${kind}`, { defaultValue: vocabulary?.actions?.find((a) => a.kind === kind)?.label ?? kind }),
    [t, vocabulary],
  );
  return { fact, op, action };
}

/** The words of a condition's one-line summary. */
export function useSummaryWords(vocabulary: { facts?: FactInfo[] } | undefined): SummaryWords {
  const { t } = useTranslation();
  const labels = useLabels(vocabulary);
  return {
    and: t("triggers.summary.and"),
    or: t("triggers.summary.or"),
    not: t("triggers.summary.not"),
    empty: t("triggers.summary.empty"),
    fact: (name, fieldId) => (fieldId ? t("triggers.summary.field", { id: fieldId }) : labels.fact(name)),
    op: labels.op,
  };
}

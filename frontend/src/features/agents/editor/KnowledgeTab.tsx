import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Agent } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { ErrorState, PageSkeleton } from "../../../components/ui/states";
import { CategoryPicker } from "../../knowledge/CategoryPicker";
import { useSection } from "./useSection";

/** The knowledge base categories the agent searches; none means all. */
export function KnowledgeTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const { query, put, saving } = useSection<{ category_ids: number[] }>(agent, "knowledge-base");
  const [chosen, setChosen] = useState<number[] | null>(null);
  if (query.isPending) return <PageSkeleton rows={2} />;
  if (query.isError) return <ErrorState error={query.error} />;
  const value = chosen ?? query.data.category_ids;
  return (
    <Card>
      <p className="mb-4 text-sm text-slate-500 dark:text-slate-400">{value.length ? t("agentEditor.scopeSome") : t("agentEditor.scopeAll")}</p>
      <CategoryPicker value={value} onChange={setChosen} />
      <div className="mt-6 flex justify-end">
        <Button loading={saving} onClick={() => put({ category_ids: value })}>
          {t("common.save")}
        </Button>
      </div>
    </Card>
  );
}

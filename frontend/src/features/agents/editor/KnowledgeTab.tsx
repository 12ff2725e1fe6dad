import { useTranslation } from "react-i18next";
import { Card } from "../../../components/ui/Card";
import { FormAlert } from "../../../components/ui/fields";
import { CategoryPicker } from "../../knowledge/CategoryPicker";
import { tidy } from "./agentDraft";

/** The knowledge base categories the agent searches; none means all. */
export function KnowledgeTab({ value, onChange, error }: { value: number[]; onChange: (ids: number[]) => void; error?: string }) {
  const { t } = useTranslation();
  return (
    <Card className="space-y-4">
      <FormAlert>{error}</FormAlert>
      <p className="text-sm text-slate-500 dark:text-slate-400">{value.length ? t("agentEditor.scopeSome") : t("agentEditor.scopeAll")}</p>
      <CategoryPicker value={value} onChange={(ids) => onChange(tidy.categoryIds(ids))} />
    </Card>
  );
}

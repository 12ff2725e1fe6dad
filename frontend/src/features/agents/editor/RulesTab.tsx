import { Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Agent, UpdateRuleInput } from "../../../api/types";
import { Button } from "../../../components/ui/Button";
import { useConfirm } from "../../../components/ui/confirm";
import { EmptyState, ErrorState, PageSkeleton } from "../../../components/ui/states";
import { Switch } from "../../../components/ui/Switch";
import { useToast } from "../../../components/ui/toast";
import { useDeleteUpdateRule, useToggleUpdateRule, useUpdateRules } from "../api";
import { RuleModal } from "./RuleModal";
import { RuleTargetLabel } from "./RuleTargetLabel";
import { useFieldCatalog } from "./useKommoCatalog";

const EMPTY_RULE: UpdateRuleInput = { name: "", instruction: "", entity: "lead", field_code: "", field_type: "text", enum_options: [], overwrite: "always", is_active: true };

/** Update rules: what the agent writes into which CRM field (create, edit, switch on/off, delete). */
export function RulesTab({ agent }: { agent: Agent }) {
  const { t } = useTranslation();
  const confirm = useConfirm();
  const toast = useToast();
  const [editing, setEditing] = useState<{ id: number | null; rule: UpdateRuleInput } | null>(null);
  const rules = useUpdateRules(agent.id);
  const remove = useDeleteUpdateRule(agent.id);
  const toggle = useToggleUpdateRule(agent.id);
  const catalog = useFieldCatalog();
  if (rules.isPending) return <PageSkeleton rows={2} />;
  if (rules.isError) return <ErrorState error={rules.error} />;
  return (
    <>
      <div className="mb-4 flex items-center justify-between gap-4">
        <p className="text-sm text-slate-500 dark:text-slate-400">{t("agentEditor.rulesHint")}</p>
        <Button onClick={() => setEditing({ id: null, rule: EMPTY_RULE })}>
          <Plus className="size-4" aria-hidden />
          {t("agentEditor.addRule")}
        </Button>
      </div>
      {rules.data.length === 0 ? (
        <EmptyState title={t("agentEditor.noRules")} />
      ) : (
        <ul className="space-y-2">
          {rules.data.map((rule) => (
            <li key={rule.id} className="flex items-center gap-3 rounded-lg bg-white p-3 ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
              <Switch checked={rule.is_active ?? true} label={t("agents.toggleLabel", { name: rule.name })} onChange={(on) => toggle.mutate({ id: rule.id, on }, { onError: toast.error })} />
              <div className="min-w-0 flex-1">
                <p className="font-medium">{rule.name}</p>
                <p className="truncate text-sm text-slate-500 dark:text-slate-400">
                  {t(`agentEditor.${rule.entity ?? "lead"}`)} · <RuleTargetLabel rule={rule} fields={catalog.fields} /> — {rule.instruction}
                </p>
              </div>
              <Button variant="secondary" size="sm" onClick={() => setEditing({ id: rule.id, rule: { ...rule, entity: rule.entity ?? "lead", enum_options: (rule.enum_options as UpdateRuleInput["enum_options"]) ?? [] } })}>
                {t("common.edit")}
              </Button>
              <Button
                variant="ghost"
                size="sm"
                aria-label={t("common.delete")}
                onClick={async () => {
                  if (await confirm({ title: t("agentEditor.deleteRule", { name: rule.name }), danger: true, confirmLabel: t("common.delete") }))
                    remove.mutate(rule.id, { onError: toast.error });
                }}
              >
                <Trash2 className="size-4 text-red-600" aria-hidden />
              </Button>
            </li>
          ))}
        </ul>
      )}
      {editing && <RuleModal agent={agent} editing={editing} onClose={() => setEditing(null)} />}
    </>
  );
}

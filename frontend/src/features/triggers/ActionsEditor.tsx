import { ArrowDown, ArrowUp, Plus, Trash2 } from "lucide-react";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { inputClass } from "../../components/ui/fields";
import { cn } from "../../components/ui/cn";
import { actionErrors, moved, newAction } from "./actions";
import type { ActionInfo, TriggerAction } from "./api";
import { ActionParams } from "./ActionParams";
import { useLabels } from "./labels";
import { boxRing } from "./styles";

/** The trigger's actions, run in this order: add one of a kind, edit its params, move it up or down, remove it. */
export function ActionsEditor({ value, onChange, kinds, errors }: { value: TriggerAction[]; onChange: (v: TriggerAction[]) => void; kinds: ActionInfo[]; errors: Record<string, string> }) {
  const { t } = useTranslation();
  const labels = useLabels({ actions: kinds });
  const [adding, setAdding] = useState<string>(kinds[0]?.kind ?? "");
  const addInfo = kinds.find((k) => k.kind === adding);
  return (
    <div>
      {errors.actions && (
        <p role="alert" className="mb-2 text-sm text-red-600 dark:text-red-400">
          {errors.actions}
        </p>
      )}
      {value.length === 0 && <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{t("triggers.actions.empty")}</p>}
      <ol className="space-y-3">
        {value.map((action, i) => {
          const info = kinds.find((k) => k.kind === action.kind);
          const shown = info?.params.map((p) => p.name) ?? [];
          const errs = actionErrors(errors, i, shown);
          const name = labels.action(action.kind);
          const set = (next: TriggerAction[]) => onChange(next);
          return (
            <li key={i} role="group" aria-label={t("triggers.actions.nth", { n: i + 1, name })} className={cn("rounded-lg p-3 ring-1", boxRing(errs.rest || Object.keys(errs.params).length > 0, "ring-slate-200 dark:ring-slate-700"))}>
              <div className="mb-3 flex items-center gap-2">
                <span className="flex size-6 shrink-0 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-700 dark:bg-indigo-950 dark:text-indigo-300">{i + 1}</span>
                <span className="min-w-0 flex-1 truncate text-sm font-medium">{name}</span>
                <Button variant="ghost" size="sm" disabled={i === 0} aria-label={t("triggers.actions.up", { n: i + 1 })} onClick={() => set(moved(value, i, -1))}>
                  <ArrowUp className="size-4" aria-hidden />
                </Button>
                <Button variant="ghost" size="sm" disabled={i === value.length - 1} aria-label={t("triggers.actions.down", { n: i + 1 })} onClick={() => set(moved(value, i, 1))}>
                  <ArrowDown className="size-4" aria-hidden />
                </Button>
                <Button variant="ghost" size="sm" aria-label={t("triggers.actions.remove", { n: i + 1 })} onClick={() => set(value.filter((_, j) => j !== i))}>
                  <Trash2 className="size-4 text-red-600 dark:text-red-400" aria-hidden />
                </Button>
              </div>
              {errs.rest && <p className="mb-2 text-sm text-red-600 dark:text-red-400">{errs.rest}</p>}
              {info ? (
                <ActionParams kind={action.kind} params={action.params} infos={info.params} errors={errs.params} onChange={(params) => set(value.map((a, j) => (j === i ? { ...a, params } : a)))} />
              ) : (
                <p className="text-sm text-slate-500">{t("triggers.actions.unknownKind", { kind: action.kind })}</p>
              )}
            </li>
          );
        })}
      </ol>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <div className="min-w-0 flex-1 sm:max-w-xs">
          <select aria-label={t("triggers.actions.kind")} className={inputClass} value={adding} onChange={(e) => setAdding(e.target.value)}>
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {labels.action(k.kind)}
              </option>
            ))}
          </select>
        </div>
        <Button variant="secondary" disabled={!addInfo} onClick={() => addInfo && onChange([...value, newAction(addInfo)])}>
          <Plus className="size-4" aria-hidden />
          {t("triggers.actions.add")}
        </Button>
      </div>
    </div>
  );
}

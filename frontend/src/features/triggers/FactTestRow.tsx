import { useId } from "react";
import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import { liveFields } from "../integrations/kommo";
import { useBuilder, useNodeErrors, nodeNumber } from "./builderContext";
import { FIELD_FACT, fitValue, newTest, sortedOperators, valueShape, type FactTest } from "./condition";
import { useLabels } from "./labels";
import { NodeError, NodeTools } from "./NodeTools";
import { StageValueSelect } from "./StageValueSelect";
import { ValueInput } from "./ValueInput";
import { boxRing, controlClass } from "./styles";

const FIELDS = ["fact", "field_id", "op", "value"] as const;
const STAGE_FACTS = new Set(["lead.pipeline_id", "lead.stage_id"]);

/** A structured test: fact, (lead field), operator limited to the fact's kind, and a value typed per kind. */
export function FactTestRow({
  test,
  path,
  alsoPath,
  negated,
  onChange,
  onNegate,
  onRemove,
}: {
  test: FactTest;
  path: string;
  alsoPath?: string;
  negated: boolean;
  onChange: (test: FactTest) => void;
  onNegate: (on: boolean) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const { facts, pipelines } = useBuilder();
  const labels = useLabels({ facts });
  const { byField, rest } = useNodeErrors(path, FIELDS, alsoPath);
  const id = useId();
  const number = nodeNumber(alsoPath ?? path);
  const fact = facts.find((f) => f.name === test.fact);
  const operators = fact ? sortedOperators(fact.operators) : [test.op];
  const shape = valueShape(test.fact, fact?.kind, test.op);
  const crmPick = shape === "number" && STAGE_FACTS.has(test.fact) && Boolean(pipelines?.length);
  const bad = (key: string) => controlClass(byField[key]);

  function pickFact(name: string) {
    const next = facts.find((f) => f.name === name);
    if (next) onChange(newTest(next));
  }
  function pickOp(op: string) {
    onChange(fitValue({ ...test, op }, fact?.kind, shape));
  }

  return (
    <div role="group" aria-label={t("triggers.cond.testN", { n: number })} className={cn("rounded-lg bg-white p-3 ring-1 dark:bg-slate-900", boxRing(rest || Object.keys(byField).length > 0, "ring-slate-200 dark:ring-slate-700"))}>
      <div className="flex flex-col gap-2 lg:flex-row lg:items-start">
        <div className="grid min-w-0 flex-1 gap-2 sm:grid-cols-2 xl:grid-cols-[minmax(0,1.1fr)_minmax(0,0.9fr)_minmax(0,1.3fr)]">
          <div className="min-w-0">
            <select aria-label={t("triggers.cond.fact")} aria-invalid={Boolean(byField.fact) || undefined} className={bad("fact")} value={test.fact} onChange={(e) => pickFact(e.target.value)}>
              {!fact && <option value={test.fact}>{test.fact}</option>}
              {facts.map((f) => (
                <option key={f.name} value={f.name}>
                  {labels.fact(f.name)}
                </option>
              ))}
            </select>
            <NodeError>{byField.fact}</NodeError>
            {test.fact === FIELD_FACT && <LeadFieldPicker value={test.field_id} onChange={(field_id) => onChange({ ...test, field_id })} error={byField.field_id} />}
          </div>
          <div className="min-w-0">
            <select aria-label={t("triggers.cond.operator")} aria-invalid={Boolean(byField.op) || undefined} className={bad("op")} value={test.op} onChange={(e) => pickOp(e.target.value)}>
              {operators.map((op) => (
                <option key={op} value={op}>
                  {labels.op(op)}
                </option>
              ))}
            </select>
            <NodeError>{byField.op}</NodeError>
          </div>
          {shape !== "none" && (
            <div className="min-w-0 sm:col-span-2 xl:col-span-1">
              {crmPick ? (
                <StageValueSelect fact={test.fact} value={test.value} onChange={(value) => onChange({ ...test, value })} error={byField.value} errorId={`${id}-value`} />
              ) : (
                <ValueInput shape={shape} value={test.value} onChange={(value) => onChange({ ...test, value })} error={byField.value} errorId={`${id}-value`} />
              )}
              <NodeError id={`${id}-value`}>{byField.value}</NodeError>
            </div>
          )}
        </div>
        <NodeTools negated={negated} onNegate={onNegate} onRemove={onRemove} number={number} />
      </div>
      <NodeError>{rest}</NodeError>
    </div>
  );
}

/** The CRM lead field a lead.field test reads: picked from the synced fields, else typed as an id. */
function LeadFieldPicker({ value, onChange, error }: { value: number | undefined; onChange: (id: number | undefined) => void; error?: string }) {
  const { t } = useTranslation();
  const { leadFields } = useBuilder();
  const cls = cn(controlClass(error), "mt-2");
  const options = leadFields ? liveFields(leadFields, "lead") : [];
  return (
    <>
      {options.length ? (
        <select aria-label={t("triggers.cond.leadField")} aria-invalid={Boolean(error) || undefined} className={cls} value={value ?? ""} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : undefined)}>
          <option value="">{t("triggers.cond.chooseField")}</option>
          {value !== undefined && !options.some((f) => f.id === value) && <option value={value}>{t("triggers.cond.unknownField", { id: value })}</option>}
          {options.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name} · {f.type}
            </option>
          ))}
        </select>
      ) : (
        <input type="number" aria-label={t("triggers.cond.leadFieldId")} aria-invalid={Boolean(error) || undefined} className={cls} placeholder={t("triggers.cond.leadFieldId")} value={value ?? ""} onChange={(e) => onChange(e.target.value ? Number(e.target.value) : undefined)} />
      )}
      <NodeError>{error}</NodeError>
    </>
  );
}

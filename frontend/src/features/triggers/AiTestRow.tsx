import { Sparkles } from "lucide-react";
import { useId } from "react";
import { useTranslation } from "react-i18next";
import { cn } from "../../components/ui/cn";
import { nodeNumber, useNodeErrors } from "./builderContext";
import { DEFAULT_MIN_CONFIDENCE, type AiTest } from "./condition";
import { NodeError, NodeTools } from "./NodeTools";
import { boxRing, controlClass } from "./styles";

const FIELDS = ["ai", "min_confidence"] as const;

/** A plain-language test the AI judges ("the customer asks for a discount"), with the confidence it needs. */
export function AiTestRow({
  test,
  path,
  alsoPath,
  negated,
  onChange,
  onNegate,
  onRemove,
}: {
  test: AiTest;
  path: string;
  alsoPath?: string;
  negated: boolean;
  onChange: (test: AiTest) => void;
  onNegate: (on: boolean) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation();
  const id = useId();
  const { byField, rest } = useNodeErrors(path, FIELDS, alsoPath);
  const number = nodeNumber(alsoPath ?? path);
  const confidence = test.min_confidence ?? DEFAULT_MIN_CONFIDENCE;
  return (
    <div
      role="group"
      aria-label={t("triggers.cond.testN", { n: number })}
      className={cn("rounded-lg bg-violet-50/60 p-3 ring-1 dark:bg-violet-950/30", boxRing(rest || byField.ai || byField.min_confidence, "ring-violet-200 dark:ring-violet-900"))}
    >
      <div className="flex flex-col gap-2 lg:flex-row lg:items-start">
        <div className="grid min-w-0 flex-1 gap-2 sm:grid-cols-[minmax(0,1fr)_12rem]">
          <div className="min-w-0">
            <label htmlFor={`${id}-ai`} className="mb-1 flex items-center gap-1 text-xs font-medium text-violet-800 dark:text-violet-300">
              <Sparkles className="size-3.5" aria-hidden />
              {t("triggers.cond.aiLabel")}
            </label>
            <input
              id={`${id}-ai`}
              type="text"
              className={controlClass(byField.ai)}
              placeholder={t("triggers.cond.aiPlaceholder")}
              aria-invalid={Boolean(byField.ai) || undefined}
              value={test.ai}
              maxLength={500}
              onChange={(e) => onChange({ ...test, ai: e.target.value })}
            />
            <NodeError>{byField.ai}</NodeError>
          </div>
          <div className="min-w-0">
            <label htmlFor={`${id}-conf`} className="mb-1 block text-xs font-medium text-violet-800 dark:text-violet-300">
              {t("triggers.cond.minConfidence", { value: Math.round(confidence * 100) })}
            </label>
            <input
              id={`${id}-conf`}
              type="range"
              min={0}
              max={1}
              step={0.05}
              className="mt-2 w-full accent-violet-600"
              value={confidence}
              onChange={(e) => onChange({ ...test, min_confidence: Number(e.target.value) })}
            />
            <NodeError>{byField.min_confidence}</NodeError>
          </div>
        </div>
        <NodeTools negated={negated} onNegate={onNegate} onRemove={onRemove} number={number} />
      </div>
      <NodeError>{rest}</NodeError>
    </div>
  );
}

import { FolderPlus, ListPlus, Sparkles } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Button } from "../../components/ui/Button";
import { cn } from "../../components/ui/cn";
import { inputClass } from "../../components/ui/fields";
import { nodeNumber, useBuilder, useNodeErrors } from "./builderContext";
import { children, groupMode, isAi, isGroup, isNot, makeGroup, newTest, type Condition, type Group, type GroupMode } from "./condition";
import { AiTestRow } from "./AiTestRow";
import { FactTestRow } from "./FactTestRow";
import { NodeError, NodeTools } from "./NodeTools";
import { boxRing } from "./styles";

export const MAX_DEPTH = 6;

/* A group and a node of it, in one module: each renders the other. */

/**
 * An AND/OR group: how its conditions combine, the conditions (tests and nested groups), and buttons to
 * add more. The root group (no `onRemove`) cannot be negated or removed.
 */
export function GroupEditor({
  group,
  path,
  alsoPath,
  depth,
  negated = false,
  onChange,
  onNegate,
  onRemove,
}: {
  group: Group;
  path: string;
  alsoPath?: string;
  depth: number;
  negated?: boolean;
  onChange: (group: Group) => void;
  onNegate?: (on: boolean) => void;
  onRemove?: () => void;
}) {
  const { t } = useTranslation();
  const { facts } = useBuilder();
  const mode = groupMode(group);
  const items = children(group);
  const { rest } = useNodeErrors(path, [], alsoPath);
  const root = !onRemove;
  const number = nodeNumber(alsoPath ?? path);
  const label = root ? t("triggers.cond.rootGroup") : t("triggers.cond.groupN", { n: number });
  const setItems = (next: Condition[]) => onChange(makeGroup(mode, next));
  const first = facts[0];

  return (
    <div
      role="group"
      aria-label={label}
      className={cn(
        "rounded-xl p-3 ring-1",
        depth % 2 === 0 ? "bg-slate-50 dark:bg-slate-950/40" : "bg-indigo-50/50 dark:bg-indigo-950/20",
        boxRing(rest, depth % 2 === 0 ? "ring-slate-200 dark:ring-slate-800" : "ring-indigo-200 dark:ring-indigo-900"),
      )}
    >
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <label className="flex items-center gap-2 text-sm font-medium">
          <span>{t("triggers.cond.match")}</span>
          <select aria-label={t("triggers.cond.mode", { group: label })} className={inputClass.replace("w-full", "w-auto").replace("py-2", "py-1.5")} value={mode} onChange={(e) => onChange(makeGroup(e.target.value as GroupMode, items))}>
            <option value="all">{t("triggers.cond.all")}</option>
            <option value="any">{t("triggers.cond.any")}</option>
          </select>
        </label>
        {!root && <span className="ml-auto" />}
        {!root && onNegate && <NodeTools negated={negated} onNegate={onNegate} onRemove={onRemove} number={number} />}
      </div>
      <NodeError>{rest}</NodeError>
      {items.length === 0 && <p className="mb-3 text-sm text-slate-500 dark:text-slate-400">{t("triggers.cond.emptyGroup")}</p>}
      <ol className="space-y-2">
        {items.map((item, i) => (
          <li key={i} className="relative">
            {i > 0 && <span className="mb-1 block text-xs font-semibold tracking-wide text-indigo-700 uppercase dark:text-indigo-300">{mode === "all" ? t("triggers.summary.and") : t("triggers.summary.or")}</span>}
            <NodeEditor
              node={item}
              path={`${path}.${mode}.${i}`}
              depth={depth + 1}
              onChange={(next) => setItems(items.map((x, j) => (j === i ? next : x)))}
              onRemove={() => setItems(items.filter((_, j) => j !== i))}
            />
          </li>
        ))}
      </ol>
      <div className="mt-3 flex flex-wrap gap-2">
        <Button variant="secondary" size="sm" disabled={!first} onClick={() => first && setItems([...items, newTest(first)])} aria-label={t("triggers.cond.addTestTo", { group: label })}>
          <ListPlus className="size-4" aria-hidden />
          {t("triggers.cond.addTest")}
        </Button>
        <Button variant="secondary" size="sm" onClick={() => setItems([...items, { ai: "", min_confidence: 0.7 }])} aria-label={t("triggers.cond.addAiTo", { group: label })}>
          <Sparkles className="size-4" aria-hidden />
          {t("triggers.cond.addAi")}
        </Button>
        {depth < MAX_DEPTH && (
          <Button variant="secondary" size="sm" onClick={() => setItems([...items, makeGroup(mode === "all" ? "any" : "all", [])])} aria-label={t("triggers.cond.addGroupTo", { group: label })}>
            <FolderPlus className="size-4" aria-hidden />
            {t("triggers.cond.addGroup")}
          </Button>
        )}
      </div>
    </div>
  );
}

/**
 * One node of a group: a nested group, a plain-language test or a structured test. A negation
 * ({not: node}) is shown as its node with "Not" ticked; the node's path goes one step deeper (`…not`),
 * and errors about the negation itself are shown on it too.
 */
export function NodeEditor({ node, path, depth, onChange, onRemove }: { node: Condition; path: string; depth: number; onChange: (node: Condition) => void; onRemove: () => void }) {
  const negated = isNot(node);
  const inner = negated ? node.not : node;
  const innerPath = negated ? `${path}.not` : path;
  const alsoPath = negated ? path : undefined;
  const set = (next: Condition) => onChange(negated ? { not: next } : next);
  const onNegate = (on: boolean) => onChange(on ? { not: inner } : inner);
  const common = { path: innerPath, alsoPath, negated, onNegate, onRemove };
  if (isGroup(inner)) return <GroupEditor group={inner} depth={depth} onChange={set} {...common} />;
  if (isNot(inner)) return <NodeEditor node={inner} path={innerPath} depth={depth} onChange={set} onRemove={onRemove} />;
  if (isAi(inner)) return <AiTestRow test={inner} onChange={set} {...common} />;
  return <FactTestRow test={inner} onChange={set} {...common} />;
}

import { useMemo } from "react";
import type { KommoField, KommoPipeline } from "../../api/types";
import type { FactInfo } from "./api";
import { BuilderContext } from "./builderContext";
import { conditionErrors, type Group } from "./condition";
import { GroupEditor } from "./GroupEditor";

/**
 * The condition builder: nested AND/OR groups (each node can be negated) of structured tests and
 * plain-language tests. `errors` are the save's errors by dotted path (`condition.all.1.value`); each
 * is shown at its node.
 */
export function ConditionBuilder({
  value,
  onChange,
  facts,
  leadFields,
  pipelines = null,
  errors,
}: {
  value: Group;
  onChange: (value: Group) => void;
  facts: FactInfo[];
  leadFields: KommoField[] | null;
  pipelines?: KommoPipeline[] | null;
  errors: Record<string, string>;
}) {
  const placed = useMemo(() => conditionErrors(errors, value), [errors, value]);
  const context = useMemo(() => ({ facts, leadFields, pipelines, errors: placed }), [facts, leadFields, pipelines, placed]);
  return (
    <BuilderContext.Provider value={context}>
      <GroupEditor group={value} path="condition" depth={0} onChange={onChange} />
    </BuilderContext.Provider>
  );
}

import { useMemo } from "react";
import type { KommoField } from "../../api/types";
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
  errors,
}: {
  value: Group;
  onChange: (value: Group) => void;
  facts: FactInfo[];
  leadFields: KommoField[] | null;
  errors: Record<string, string>;
}) {
  const placed = useMemo(() => conditionErrors(errors, value), [errors, value]);
  const context = useMemo(() => ({ facts, leadFields, errors: placed }), [facts, leadFields, placed]);
  return (
    <BuilderContext.Provider value={context}>
      <GroupEditor group={value} path="condition" depth={0} onChange={onChange} />
    </BuilderContext.Provider>
  );
}

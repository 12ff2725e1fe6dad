import type { KommoField, UpdateRule } from "../../../api/types";
import { fieldMissing, findField } from "../../integrations/kommo";
import { MissingBadge } from "./MissingBadge";

/** The field a rule writes, by its synced name when known, and why it is missing when no live field matches. */
export function RuleTargetLabel({ rule, fields }: { rule: UpdateRule; fields: KommoField[] }) {
  const field = findField(fields, rule);
  const missing = fields.length > 0 ? fieldMissing(fields, rule) : null;
  return (
    <>
      {field?.name || rule.field_code || rule.field_id}
      {missing && (
        <>
          {" "}
          <MissingBadge missing={missing} id={rule.field_id || rule.field_code || "—"} />
        </>
      )}
    </>
  );
}

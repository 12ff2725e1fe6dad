import { useTranslation } from "react-i18next";
import { Badge } from "../../../components/ui/Badge";
import type { Missing } from "../../integrations/kommo";

/** A saved id no live synced item has: "deleted in Kommo" (still synced, marked) or "unknown id 123". */
export function MissingBadge({ missing, id }: { missing: Missing; id: number | string }) {
  const { t } = useTranslation();
  if (missing === "deleted") return <Badge tone="amber">{t("agentEditor.kommo.deleted")}</Badge>;
  if (missing === "unknown") return <Badge tone="red">{t("agentEditor.kommo.unknownId", { id })}</Badge>;
  return null;
}

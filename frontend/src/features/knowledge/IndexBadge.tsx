import { useTranslation } from "react-i18next";
import type { IndexState } from "../../api/types";
import { Badge, type Tone } from "../../components/ui/Badge";

const STATE_TONES: Record<string, Tone> = { ready: "green", failed: "red", queued: "gray", extracting: "amber", embedding: "amber" };

/** An article's or a file's index state, with its progress while it runs. */
export function IndexBadge({ index }: { index: IndexState }) {
  const { t } = useTranslation();
  const busy = index.state === "extracting" || index.state === "embedding";
  return (
    <Badge tone={STATE_TONES[index.state] ?? "gray"} className="whitespace-nowrap">
      <span data-index-state={index.state}>{t(`knowledge.index.${index.state}`)}</span>
      {busy && <span>{index.progress}%</span>}
    </Badge>
  );
}

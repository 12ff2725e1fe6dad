import { useTranslation } from "react-i18next";
import type { PlaygroundSwitches } from "../../api/types";
import { Switch } from "../../components/ui/Switch";

/** The default of a test: answer at any hour, and send without waiting for a reviewer. */
export const TEST_DEFAULTS: PlaygroundSwitches = { ignore_working_hours: true, skip_approval: true };

/** Switches that make a playground test possible at any hour and without a reviewer; sent with each message. */
export function TestSwitches({ value, onChange }: { value: PlaygroundSwitches; onChange: (value: PlaygroundSwitches) => void }) {
  const { t } = useTranslation();
  const items = [
    ["ignore_working_hours", t("playground.ignoreHours")],
    ["skip_approval", t("playground.skipApproval")],
  ] as const;
  return (
    <fieldset className="mb-3 flex flex-wrap items-center gap-x-5 gap-y-2 text-sm" data-testid="test-switches">
      <legend className="sr-only">{t("playground.switches")}</legend>
      {items.map(([key, label]) => (
        <label key={key} className="flex items-center gap-2">
          <Switch checked={value[key]} label={label} onChange={(on) => onChange({ ...value, [key]: on })} />
          <span aria-hidden>{label}</span>
        </label>
      ))}
      <span className="text-xs text-slate-500 dark:text-slate-400">{t("playground.switchesHint")}</span>
    </fieldset>
  );
}

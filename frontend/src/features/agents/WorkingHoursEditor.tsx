import { Plus, X } from "lucide-react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { Button } from "../../components/ui/Button";
import { inputClass } from "../../components/ui/fields";
import { useWorkspace } from "../workspaces/workspace";
import { WEEKDAYS, type WorkingHours } from "./agentForm";

/** Per weekday: closed, or one or more HH:MM windows. An empty schedule means "always open". */
export function WorkingHoursEditor({ value, onChange, error }: { value: WorkingHours; onChange: (v: WorkingHours) => void; error?: string }) {
  const { t } = useTranslation();
  const always = Object.keys(value).length === 0;
  const setDay = (day: (typeof WEEKDAYS)[number], windows: WorkingHours[typeof day] | undefined) => {
    const next = { ...value };
    if (windows === undefined) delete next[day];
    else next[day] = windows;
    onChange(next);
  };
  return (
    <fieldset>
      <legend className="text-sm font-medium text-slate-700 dark:text-slate-300">{t("agentEditor.workingHours")}</legend>
      <WorkspaceTimeZone />
      <label className="mt-2 flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={always}
          onChange={(e) =>
            onChange(e.target.checked ? {} : Object.fromEntries(WEEKDAYS.slice(0, 5).map((d) => [d, [{ start: "09:00", end: "18:00" }]])))
          }
        />
        {t("agentEditor.alwaysOpen")}
      </label>
      {!always && (
        <div className="mt-3 space-y-2">
          {WEEKDAYS.map((day) => {
            const windows = value[day];
            return (
              <div key={day} className="flex flex-wrap items-center gap-2">
                <label className="flex w-28 items-center gap-2 text-sm">
                  <input type="checkbox" checked={windows !== undefined} onChange={(e) => setDay(day, e.target.checked ? [{ start: "09:00", end: "18:00" }] : undefined)} />
                  {t(`weekdays.${day}`)}
                </label>
                {windows === undefined ? (
                  <span className="text-sm text-slate-400">{t("agentEditor.closed")}</span>
                ) : (
                  windows.map((w, i) => (
                    <span key={i} className="flex items-center gap-1">
                      <input
                        aria-label={`${t(`weekdays.${day}`)} ${t("agentEditor.from")}`}
                        className={`${inputClass} w-24`}
                        value={w.start}
                        onChange={(e) => setDay(day, windows.map((x, j) => (j === i ? { ...x, start: e.target.value } : x)))}
                      />
                      –
                      <input
                        aria-label={`${t(`weekdays.${day}`)} ${t("agentEditor.to")}`}
                        className={`${inputClass} w-24`}
                        value={w.end}
                        onChange={(e) => setDay(day, windows.map((x, j) => (j === i ? { ...x, end: e.target.value } : x)))}
                      />
                      <button type="button" aria-label={t("common.remove")} className="p-1 text-slate-400 hover:text-red-600" onClick={() => setDay(day, windows.filter((_, j) => j !== i))}>
                        <X className="size-4" aria-hidden />
                      </button>
                    </span>
                  ))
                )}
                {windows !== undefined && (
                  <Button variant="ghost" size="sm" aria-label={t("agentEditor.addWindow")} onClick={() => setDay(day, [...windows, { start: "19:00", end: "21:00" }])}>
                    <Plus className="size-4" aria-hidden />
                  </Button>
                )}
              </div>
            );
          })}
        </div>
      )}
      {error && <p className="mt-2 text-sm text-red-600 dark:text-red-400">{error}</p>}
    </fieldset>
  );
}

/** The hours are read in the workspace's time zone: say which, and where it is changed. */
function WorkspaceTimeZone() {
  const { t } = useTranslation();
  const zone = useWorkspace().current?.time_zone;
  if (!zone) return null;
  return (
    <p className="mt-1 text-sm text-slate-500 dark:text-slate-400" data-testid="working-hours-zone">
      {t("agentEditor.timeZone", { zone })}{" "}
      <Link to="/settings?tab=workspace" className="text-indigo-600 hover:underline dark:text-indigo-400">
        {t("agentEditor.timeZoneLink")}
      </Link>
    </p>
  );
}

import { useTranslation } from "react-i18next";
import type { ValueShape } from "./condition";
import { ListInput } from "./ListInput";
import { controlClass } from "./styles";

const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7];
/** A typed number, or the text as typed when it is not one yet (the API says what is wrong with it). */
const asNumber = (raw: string): number | string => (raw.trim() !== "" && !Number.isNaN(Number(raw)) ? Number(raw) : raw);

/** The value of a structured test, typed by its shape: text, number, time, weekday(s), list, or a from–to pair. */
export function ValueInput({ shape, value, onChange, error, errorId }: { shape: ValueShape; value: unknown; onChange: (v: unknown) => void; error?: string; errorId?: string }) {
  const { t } = useTranslation();
  const label = t("triggers.cond.value");
  const invalid = Boolean(error);
  const field = controlClass(invalid);
  const common = { "aria-invalid": invalid || undefined, "aria-describedby": error ? errorId : undefined, className: field };
  const day = (n: number) => t(`triggers.weekdays.${n}`);
  switch (shape) {
    case "none":
      return null;
    case "number":
      return <input type="number" aria-label={label} {...common} value={String(value ?? "")} onChange={(e) => onChange(asNumber(e.target.value))} />;
    case "time":
      return <input type="time" aria-label={label} {...common} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} />;
    case "weekday":
      return (
        <select aria-label={label} {...common} value={String(value ?? 1)} onChange={(e) => onChange(Number(e.target.value))}>
          {WEEKDAYS.map((n) => (
            <option key={n} value={n}>
              {day(n)}
            </option>
          ))}
        </select>
      );
    case "weekdays": {
      const picked = Array.isArray(value) ? (value as number[]) : [];
      return (
        <fieldset aria-describedby={error ? errorId : undefined} className="flex flex-wrap gap-x-3 gap-y-1 py-1">
          <legend className="sr-only">{label}</legend>
          {WEEKDAYS.map((n) => (
            <label key={n} className="inline-flex items-center gap-1 text-sm">
              <input
                type="checkbox"
                className="size-4 rounded border-slate-300 text-indigo-600 dark:border-slate-600 dark:bg-slate-900"
                checked={picked.includes(n)}
                onChange={(e) => onChange(e.target.checked ? [...picked, n].sort((a, b) => a - b) : picked.filter((x) => x !== n))}
              />
              {t(`triggers.weekdaysShort.${n}`)}
            </label>
          ))}
        </fieldset>
      );
    }
    case "texts":
    case "numbers":
      return (
        <ListInput
          label={label}
          numeric={shape === "numbers"}
          value={Array.isArray(value) ? value : []}
          onChange={onChange}
          invalid={invalid}
          describedBy={error ? errorId : undefined}
          placeholder={t("triggers.cond.listPlaceholder")}
        />
      );
    case "numberRange":
    case "timeRange": {
      const pair = Array.isArray(value) ? value : ["", ""];
      const type = shape === "timeRange" ? "time" : "number";
      const set = (i: number, raw: string) => onChange(pair.map((v, j) => (j === i ? (type === "time" ? raw : asNumber(raw)) : v)));
      return (
        <div className="flex items-center gap-2">
          <input type={type} aria-label={t("triggers.cond.from")} {...common} value={String(pair[0] ?? "")} onChange={(e) => set(0, e.target.value)} />
          <span aria-hidden className="text-slate-400">
            –
          </span>
          <input type={type} aria-label={t("triggers.cond.to")} {...common} value={String(pair[1] ?? "")} onChange={(e) => set(1, e.target.value)} />
        </div>
      );
    }
    default:
      return <input type="text" aria-label={label} {...common} value={String(value ?? "")} onChange={(e) => onChange(e.target.value)} />;
  }
}

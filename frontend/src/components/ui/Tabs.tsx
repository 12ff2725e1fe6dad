import type { ReactNode } from "react";
import { cn } from "./cn";

/** A row of tabs (the caller renders the panel of the selected one). */
export function Tabs<T extends string>({
  tabs,
  value,
  onChange,
  label,
}: {
  tabs: ReadonlyArray<readonly [T, ReactNode]>;
  value: T;
  onChange: (value: T) => void;
  label: string;
}) {
  return (
    <div role="tablist" aria-label={label} className="mb-6 flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
      {tabs.map(([key, text]) => (
        <button
          key={key}
          role="tab"
          type="button"
          aria-selected={value === key}
          onClick={() => onChange(key)}
          className={cn(
            "-mb-px whitespace-nowrap border-b-2 px-2.5 py-2 text-sm font-medium sm:px-3",
            value === key
              ? "border-indigo-600 text-indigo-700 dark:border-indigo-400 dark:text-indigo-300"
              : "border-transparent text-slate-500 hover:text-slate-700 dark:hover:text-slate-300",
          )}
        >
          {text}
        </button>
      ))}
    </div>
  );
}

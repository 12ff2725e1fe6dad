import { useState } from "react";
import { controlClass } from "./styles";

/**
 * Several values typed as one comma-separated line. The typed text is kept while it still reads as the
 * value (so "a, " stays while typing the next one); a value changed from outside replaces it.
 */
export function ListInput({
  value,
  numeric = false,
  onChange,
  label,
  invalid,
  describedBy,
  placeholder,
}: {
  value: unknown[];
  numeric?: boolean;
  onChange: (value: unknown[]) => void;
  label: string;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
}) {
  const [text, setText] = useState(() => value.join(", "));
  const parse = (raw: string) =>
    raw
      .split(",")
      .map((item) => item.trim())
      .filter(Boolean)
      .map((item) => (numeric && item !== "" && !Number.isNaN(Number(item)) ? Number(item) : item));
  const shown = JSON.stringify(parse(text)) === JSON.stringify(value) ? text : value.join(", ");
  return (
    <input
      type="text"
      aria-label={label}
      aria-invalid={invalid || undefined}
      aria-describedby={describedBy}
      placeholder={placeholder}
      className={controlClass(invalid)}
      value={shown}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parse(e.target.value));
      }}
    />
  );
}

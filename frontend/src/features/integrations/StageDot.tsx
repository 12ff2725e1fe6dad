import { stageColor } from "./kommo";

/** A pipeline stage's colour, as Kommo shows it. */
export function StageDot({ color }: { color?: string | null }) {
  const background = stageColor(color);
  return (
    <span
      aria-hidden
      className="inline-block size-2.5 shrink-0 rounded-full bg-slate-300 ring-1 ring-black/10 dark:bg-slate-600 dark:ring-white/20"
      style={background ? { backgroundColor: background } : undefined}
    />
  );
}

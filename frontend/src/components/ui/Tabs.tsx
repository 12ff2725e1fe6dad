import { ChevronLeft, ChevronRight } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { cn } from "./cn";

type Edges = { start: boolean; end: boolean };

/** Which ends of a sideways-scrolling strip hide more. */
function hiddenEdges(el: HTMLElement, old: Edges): Edges {
  const start = el.scrollLeft > 1;
  const end = el.scrollLeft + el.clientWidth < el.scrollWidth - 1;
  return old.start === start && old.end === end ? old : { start, end };
}

/** The strip's hidden ends, measured on every resize (the observer also reports the first size) and on scroll. */
function useHiddenEdges(strip: React.RefObject<HTMLElement | null>) {
  const [edges, setEdges] = useState<Edges>({ start: false, end: false });
  useEffect(() => {
    const el = strip.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver(() => setEdges((old) => hiddenEdges(el, old)));
    observer.observe(el);
    return () => observer.disconnect();
  }, [strip]);
  const onScroll = () => {
    const el = strip.current;
    if (el) setEdges((old) => hiddenEdges(el, old));
  };
  return [edges, onScroll] as const;
}

const FADE = "24px";

/**
 * A row of tabs (the caller renders the panel of the selected one). On a narrow screen the row
 * scrolls sideways: the hidden end fades out and shows an arrow, and the selected tab scrolls into view.
 */
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
  const strip = useRef<HTMLDivElement>(null);
  const [edges, measure] = useHiddenEdges(strip);
  useEffect(() => {
    strip.current?.querySelector('[aria-selected="true"]')?.scrollIntoView?.({ block: "nearest", inline: "nearest" });
  }, [value]);
  const mask = `linear-gradient(to right, ${edges.start ? "transparent" : "black"}, black ${FADE}, black calc(100% - ${FADE}), ${edges.end ? "transparent" : "black"})`;
  const scroll = (direction: 1 | -1) => strip.current?.scrollBy?.({ left: direction * strip.current.clientWidth * 0.7, behavior: "smooth" });
  const arrow = "absolute inset-y-0 flex w-6 items-center justify-center text-slate-500 hover:text-slate-800 dark:text-slate-400 dark:hover:text-slate-100";
  return (
    <div className="relative mb-6" data-scroll-hint={edges.start || edges.end ? "" : undefined}>
      <div
        ref={strip}
        role="tablist"
        aria-label={label}
        onScroll={measure}
        style={{ maskImage: mask, WebkitMaskImage: mask }}
        className="flex gap-1 overflow-x-auto border-b border-slate-200 [scrollbar-width:none] dark:border-slate-800"
      >
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
      {/* Pointer helpers only: keyboard users reach every tab with Tab anyway. */}
      {edges.start && (
        <button type="button" tabIndex={-1} aria-hidden className={cn(arrow, "left-0")} onClick={() => scroll(-1)} data-testid="tabs-scroll-back">
          <ChevronLeft className="size-4" />
        </button>
      )}
      {edges.end && (
        <button type="button" tabIndex={-1} aria-hidden className={cn(arrow, "right-0")} onClick={() => scroll(1)} data-testid="tabs-scroll-more">
          <ChevronRight className="size-4" />
        </button>
      )}
    </div>
  );
}

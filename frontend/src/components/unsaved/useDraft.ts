import { useCallback, useEffect, useMemo, useState } from "react";
import { useDraftStore } from "./KeepDrafts";

const NO_EDITS = {};

/** Whether two values of a field are the same: equal, or the same JSON (arrays, objects). */
export const sameValue = (a: unknown, b: unknown): boolean => a === b || JSON.stringify(a) === JSON.stringify(b);

export interface Draft<T extends object> {
  /** What the form shows: the saved value with the user's edits over it. */
  value: T;
  /** The fields whose edit differs from the saved value. */
  changed: Array<keyof T>;
  dirty: boolean;
  set: <K extends keyof T>(key: K, value: T[K]) => void;
  /** Drop every edit (Discard, or once a save has landed and `saved` holds it). */
  reset: () => void;
}

/**
 * The user's edit of `saved` (the server's copy), held until saved or discarded. Edits are kept per
 * field: a field the user has not touched follows `saved` when it is refetched (a teammate's change,
 * the on/off switch), one they edited keeps their value, and one edited back to its saved value is
 * clean again. `saved` should be memoized by the caller. With `keep`, the edits live in the nearest
 * `<KeepDrafts>` under that key, so they outlive the form (a tab switched away from).
 */
export function useDraft<T extends object>(saved: T, { keep, same = sameValue }: { keep?: string; same?: (a: unknown, b: unknown) => boolean } = {}): Draft<T> {
  const store = useDraftStore();
  const kept = keep !== undefined && store !== null;
  const [ownEdits, setOwnEdits] = useState<Partial<T>>({});
  const edits = kept ? ((store.edits[keep] ?? NO_EDITS) as Partial<T>) : ownEdits;
  const update = useCallback(
    (change: (edits: Partial<T>) => Partial<T>) => (kept ? store.update(keep, change as (edits: object) => object) : setOwnEdits(change)),
    [kept, store, keep],
  );
  const value = useMemo(() => ({ ...saved, ...edits }), [saved, edits]);
  const changed = useMemo(() => (Object.keys(edits) as Array<keyof T>).filter((key) => !same(edits[key], saved[key])), [edits, saved, same]);
  const dirty = changed.length > 0;
  useEffect(() => {
    if (kept) store.report(keep, dirty);
  }, [kept, store, keep, dirty]);
  const set = useCallback(<K extends keyof T>(key: K, next: T[K]) => update((current) => ({ ...current, [key]: next })), [update]);
  const reset = useCallback(() => update(() => ({})), [update]);
  return { value, changed, dirty, set, reset };
}

import { useCallback, useMemo, useState } from "react";

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
 * clean again. `saved` should be memoized by the caller.
 */
export function useDraft<T extends object>(saved: T, same: (a: unknown, b: unknown) => boolean = sameValue): Draft<T> {
  const [edits, setEdits] = useState<Partial<T>>({});
  const value = useMemo(() => ({ ...saved, ...edits }), [saved, edits]);
  const changed = useMemo(() => (Object.keys(edits) as Array<keyof T>).filter((key) => !same(edits[key], saved[key])), [edits, saved, same]);
  const set = useCallback(<K extends keyof T>(key: K, next: T[K]) => setEdits((current) => ({ ...current, [key]: next })), []);
  const reset = useCallback(() => setEdits({}), []);
  return { value, changed, dirty: changed.length > 0, set, reset };
}

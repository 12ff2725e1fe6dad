import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from "react";
import { useUnsavedChanges } from "./UnsavedChanges";

interface DraftStore {
  edits: Readonly<Record<string, object>>;
  update: (key: string, change: (edits: object) => object) => void;
  report: (key: string, dirty: boolean) => void;
}

const DraftStoreContext = createContext<DraftStore | null>(null);

/**
 * Keeps the drafts of the forms below it (those that call `useDraft(saved, { keep: "<key>" })`) while
 * the forms are not shown: a settings tab switched away from and back finds what was typed. A kept
 * draft with changes guards the page like a shown one.
 */
export function KeepDrafts({ children }: { children: ReactNode }) {
  const [edits, setEdits] = useState<Readonly<Record<string, object>>>({});
  const [dirty, setDirty] = useState<Readonly<Record<string, boolean>>>({});
  const update = useCallback((key: string, change: (edits: object) => object) => setEdits((all) => ({ ...all, [key]: change(all[key] ?? {}) })), []);
  const report = useCallback((key: string, keyDirty: boolean) => setDirty((all) => (Boolean(all[key]) === keyDirty ? all : { ...all, [key]: keyDirty })), []);
  useUnsavedChanges(Object.values(dirty).some(Boolean));
  const store = useMemo(() => ({ edits, update, report }), [edits, update, report]);
  return <DraftStoreContext.Provider value={store}>{children}</DraftStoreContext.Provider>;
}

export function useDraftStore(): DraftStore | null {
  return useContext(DraftStoreContext);
}

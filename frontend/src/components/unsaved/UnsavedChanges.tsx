import { createContext, useCallback, useContext, useEffect, useId, useMemo, useRef, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useBlocker, type BlockerFunction } from "react-router";
import { useConfirm } from "../ui/confirm";

interface UnsavedChangesApi {
  report: (id: string, dirty: boolean) => void;
  confirmLeave: () => Promise<boolean>;
}

const UnsavedChangesContext = createContext<UnsavedChangesApi | null>(null);

/** The question asked before edits are dropped, whatever drops them. */
function useAskToDiscard() {
  const { t } = useTranslation();
  const confirm = useConfirm();
  return useCallback(
    () => confirm({ title: t("unsaved.discardTitle"), message: t("unsaved.discardText"), confirmLabel: t("unsaved.discard"), cancelLabel: t("unsaved.keepEditing"), danger: true }),
    [confirm, t],
  );
}

/**
 * Guards every editor below it against losing edits: while any of them reports unsaved changes,
 * going to another page (a link, back/forward) asks first in the app's confirm dialog, and closing or
 * reloading the browser tab asks through the browser (`beforeunload`). Mounted once, in the app
 * shell (a router supports one blocker); editors report with `useUnsavedChanges(dirty)`.
 */
export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const ask = useAskToDiscard();
  const [dirtyEditors, setDirtyEditors] = useState<ReadonlySet<string>>(() => new Set());
  const dirty = dirtyEditors.size > 0;
  // Set once the user agreed to drop every edit, so the navigation that follows is not asked again.
  const leaving = useRef(false);

  const report = useCallback((id: string, editorDirty: boolean) => {
    setDirtyEditors((current) => {
      if (current.has(id) === editorDirty) return current;
      const next = new Set(current);
      if (editorDirty) next.add(id);
      else next.delete(id);
      return next;
    });
  }, []);

  const confirmLeave = useCallback(async () => {
    if (!dirty) return true;
    leaving.current = await ask();
    return leaving.current;
  }, [dirty, ask]);

  const shouldBlock = useCallback<BlockerFunction>(
    ({ currentLocation, nextLocation }) => dirty && !leaving.current && currentLocation.pathname !== nextLocation.pathname,
    [dirty],
  );
  const blocker = useBlocker(shouldBlock);
  const asking = useRef(false);
  useEffect(() => {
    if (blocker.state !== "blocked" || asking.current) return;
    asking.current = true;
    void ask().then((leave) => {
      asking.current = false;
      leaving.current = leave;
      if (leave) blocker.proceed();
      else blocker.reset();
    });
  }, [blocker, ask]);

  useEffect(() => {
    if (!dirty) {
      leaving.current = false;
      return;
    }
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = ""; // some browsers show their prompt only when this is set
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [dirty]);

  const api = useMemo(() => ({ report, confirmLeave }), [report, confirmLeave]);
  return <UnsavedChangesContext.Provider value={api}>{children}</UnsavedChangesContext.Provider>;
}

/**
 * Report an editor's unsaved changes to the guard (the page cannot be left without a question while
 * `dirty`). Returns `confirmDiscard()`, for what drops this editor's edits without leaving the page
 * (Discard, closing its dialog): true when there is nothing to lose or the user agreed.
 */
export function useUnsavedChanges(dirty: boolean): () => Promise<boolean> {
  const guard = useContext(UnsavedChangesContext);
  const ask = useAskToDiscard();
  const id = useId();
  useEffect(() => {
    if (!guard) return;
    guard.report(id, dirty);
    return () => guard.report(id, false);
  }, [guard, id, dirty]);
  return useCallback(() => (dirty ? ask() : Promise.resolve(true)), [dirty, ask]);
}

/** Ask before an action that drops whatever every editor holds (switching workspace, logging out). */
export function useConfirmLeave(): () => Promise<boolean> {
  const guard = useContext(UnsavedChangesContext);
  return guard?.confirmLeave ?? (() => Promise.resolve(true));
}

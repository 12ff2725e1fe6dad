import { useEffect, useState } from "react";
import { useNavigate } from "react-router";

/**
 * `open(id)` after a new trigger is saved: goes to /triggers/:id once the unsaved-changes guard has
 * heard that the draft is clean. Going at once would be asked about ("Discard your changes?"): the
 * reset draft reports itself clean in an effect, the guard re-renders with that, and its new blocker
 * is installed by that render's effects. So: wait for the clean draft's effects (a turn), then for
 * the next render's effects (another turn), then go.
 */
export function useOpenCreated(dirty: boolean): (id: number) => void {
  const navigate = useNavigate();
  const [created, setCreated] = useState<number | null>(null);
  const [opening, setOpening] = useState<number | null>(null);
  useEffect(() => {
    if (created === null || dirty) return;
    const timer = setTimeout(() => setOpening(created), 0);
    return () => clearTimeout(timer);
  }, [created, dirty]);
  useEffect(() => {
    if (opening === null) return;
    const timer = setTimeout(() => void navigate(`/triggers/${opening}`, { replace: true }), 0);
    return () => clearTimeout(timer);
  }, [opening, navigate]);
  return setCreated;
}

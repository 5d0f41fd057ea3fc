// Loading and polling state for the screens.
import { useCallback, useEffect, useRef, useState } from "preact/hooks";

/** Runs `load` now and whenever deps change; `reload()` runs it again. */
export function useLoad(load, deps = []) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const run = useRef(0);
  const reload = useCallback(async () => {
    const mine = ++run.current;
    setState((s) => ({ ...s, loading: true }));
    try {
      const data = await load();
      if (mine === run.current) setState({ data, error: null, loading: false });
    } catch (error) {
      if (mine === run.current) setState((s) => ({ data: s.data, error, loading: false }));
    }
  }, deps);
  useEffect(() => {
    reload();
  }, [reload]);
  return { ...state, reload };
}

/** Calls `tick` every `ms` while `active` (progress of a deposit, a campaign, a message's statuses). */
export function usePoll(tick, ms, active) {
  const saved = useRef(tick);
  saved.current = tick;
  useEffect(() => {
    if (!active) return undefined;
    const id = setInterval(() => saved.current(), ms);
    return () => clearInterval(id);
  }, [active, ms]);
}

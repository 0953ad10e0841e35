// Loads data for a page: {data, error, loading, reload}; stale answers from
// an earlier dependency set are ignored.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** Runs `fn()` (a promise) whenever `deps` change. */
export function useAsync(fn, deps) {
  const [state, setState] = useState({ data: null, error: null, loading: true });
  const run = useRef(0);
  const load = useCallback(() => {
    const id = ++run.current;
    setState((s) => ({ ...s, error: null, loading: true }));
    Promise.resolve().then(fn).then(
      (data) => { if (id === run.current) setState({ data, error: null, loading: false }); },
      (error) => { if (id === run.current) setState({ data: null, error, loading: false }); });
  }, deps);
  useEffect(() => {
    load();
    return () => { run.current++; };
  }, [load]);
  return { ...state, reload: load };
}

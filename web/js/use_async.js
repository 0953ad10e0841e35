// Loads data for a page: {data, error, loading, reload}; stale answers from
// an earlier dependency set are ignored, and the render right after the
// dependencies change already says `loading` (the data shown is the old
// set's until the new answer comes).
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

/** Runs `fn()` (a promise) whenever `deps` change. */
export function useAsync(fn, deps) {
  // `of`: the load whose answer `data` is.
  const [state, setState] = useState({ data: null, error: null, loading: true, of: null });
  const run = useRef(0);
  const load = useCallback(() => {
    const id = ++run.current;
    setState((s) => ({ ...s, error: null, loading: true, of: load }));
    Promise.resolve().then(fn).then(
      (data) => { if (id === run.current) setState({ data, error: null, loading: false, of: load }); },
      (error) => { if (id === run.current) setState({ data: null, error, loading: false, of: load }); });
  }, deps);
  useEffect(() => {
    load();
    return () => { run.current++; };
  }, [load]);
  const { of, ...rest } = state;
  return { ...rest, loading: rest.loading || of !== load, reload: load };
}

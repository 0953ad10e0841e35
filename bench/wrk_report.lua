-- Shared by bench's wrk scripts (dofile'd from $BERRY_BENCH_DIR): keeps the
-- threads so that done() can add up what each counted, and prints the one
-- line bench/run reads:
--   BENCH requests=N duration_us=N p50_us=N p99_us=N non2xx=N errors=N
--         created=N pending=N
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

-- Per thread: answers by status (only scripts that define response() count).
created = 0
pending = 0

function bench_report(summary, latency)
  local c, p = 0, 0
  for _, t in ipairs(threads) do
    c = c + (t:get("created") or 0)
    p = p + (t:get("pending") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p99_us=%d non2xx=%d " ..
    "errors=%d created=%d pending=%d\n",
    summary.requests, summary.duration, latency:percentile(50),
    latency:percentile(99), e.status, e.connect + e.read + e.write + e.timeout,
    c, p))
end

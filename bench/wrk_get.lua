-- wrk script for bench/run: GETs a random one of $BERRY_PATHS (one path a
-- line) on each request.
dofile((os.getenv("BERRY_BENCH_DIR") or "bench") .. "/wrk_report.lua")

local paths = {}
for p in (os.getenv("BERRY_PATHS") or "/"):gmatch("[^\n]+") do
  paths[#paths + 1] = p
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function done(summary, latency, requests)
  bench_report(summary, latency)
end

-- wrk script for bench/checkout_wrk.sh: each request checks out one unit of
-- a random product (p-000001 .. p-<N>) for one of the registered buyers,
-- paying with tok_ok, under a key of its own (so every request is a new,
-- durable order: reserve, charge, commit, journaled).
local tokens = {}
for line in io.lines(os.getenv("BERRY_TOKENS")) do tokens[#tokens + 1] = line end
local products = tonumber(os.getenv("BERRY_PRODUCTS") or "816")
local run = os.getenv("BERRY_RUN") or tostring(os.time())
local threads = 0
local sent = 0

function setup(thread)
  threads = threads + 1
  thread:set("id", threads)
end

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

local body_of = '{"lines": [{"product_id": "p-%06d", "qty": 1}], ' ..
  '"address": {"lat": 55.7601, "lon": 37.6186, "text": "Москва, Тверская ул., 1"}, ' ..
  '"payment": {"method": "card", "token": "tok_ok"}}'

function request()
  sent = sent + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, id or 0, sent),
  }
  return wrk.format("POST", "/api/v1/checkout", headers,
                    string.format(body_of, math.random(products)))
end

function done(summary, latency, requests)
  io.write(string.format("checkouts/s %.0f  p50 %.1f ms  p99 %.1f ms  " ..
                         "non-2xx %d\n",
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000,
                         summary.errors.status))
end

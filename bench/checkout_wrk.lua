-- wrk script for bench/checkout_wrk.sh and bench/run: each request checks
-- out one unit of a product for one of the registered buyers
-- ($BERRY_TOKENS, one token a line), paying with tok_ok, under a key of its
-- own (so every request is a new, durable order: reserve, charge, commit,
-- journaled). The product is $BERRY_PRODUCT (a flash sale), else a random
-- one of p-000001 .. p-<$BERRY_PRODUCTS>.
dofile((os.getenv("BERRY_BENCH_DIR") or "bench") .. "/wrk_report.lua")

local tokens = {}
for line in io.lines(os.getenv("BERRY_TOKENS")) do tokens[#tokens + 1] = line end
local products = tonumber(os.getenv("BERRY_PRODUCTS") or "816")
local product = os.getenv("BERRY_PRODUCT")
local run = os.getenv("BERRY_RUN") or tostring(os.time())
local sent = 0

function init(args)
  math.randomseed(os.time() * 1000 + (id or 0))
end

local body_of = '{"lines": [{"product_id": "%s", "qty": 1}], ' ..
  '"address": {"lat": 55.7601, "lon": 37.6186, "text": "Москва, Тверская ул., 1"}, ' ..
  '"payment": {"method": "card", "token": "tok_ok"}}'

function request()
  sent = sent + 1
  local headers = {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. tokens[math.random(#tokens)],
    ["Idempotency-Key"] = string.format("%s-%d-%d", run, id or 0, sent),
  }
  local p = product or string.format("p-%06d", math.random(products))
  return wrk.format("POST", "/api/v1/checkout", headers,
                    string.format(body_of, p))
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status == 202 then
    pending = pending + 1
  end
end

function done(summary, latency, requests)
  io.write(string.format("checkouts/s %.0f  p50 %.1f ms  p99 %.1f ms  " ..
                         "non-2xx %d\n",
                         summary.requests / (summary.duration / 1e6),
                         latency:percentile(50) / 1000,
                         latency:percentile(99) / 1000,
                         summary.errors.status))
  bench_report(summary, latency)
end

-- wrk script: every request posts a new, distinct comment, as a different reader would.
-- Arguments: the form's signed timestamp, the article's slug, and a run number that keeps
-- each run's addresses apart from the last run's.
-- Each request has its own email and (through X-Forwarded-For, with one trusted proxy) its
-- own address, so the flood rule does not refuse it; the body differs, so it is no duplicate.

local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  stamp, slug, run = args[1], args[2], tonumber(args[3])
  counter, accepted, refused, busy, failed = 0, 0, 0, 0, 0
  -- The ids of accepted comments, from each redirect's "/comments/<id>/": the runner checks
  -- that every one of them is in the database.
  ids = {}
  accepted_ids = ""
  path = "/articles/" .. slug .. "/comments/"
end

function request()
  counter = counter + 1
  local n = run .. "-" .. id .. "-" .. counter
  local body = "name=Bench+reader+" .. n
    .. "&email=bench-" .. n .. "%40example.com"
    .. "&body=Benchmark+comment+" .. n .. "+about+the+study"
    .. "&website=&parent=&timestamp=" .. stamp
  local headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Sec-Fetch-Site"] = "same-origin",
    ["X-Forwarded-For"] = "10." .. (run * 8 + id) .. "." .. (math.floor(counter / 256) % 256)
      .. "." .. (counter % 256),
  }
  return wrk.format("POST", path, headers, body)
end

-- Header names as the server wrote them: granian writes them in lower case.
local function header(headers, name)
  return headers[name] or headers[string.lower(name)]
end

function response(status, headers, body)
  if status == 302 then
    accepted = accepted + 1
    local id = string.match(header(headers, "Location") or "", "/comments/(%d+)/")
    if id then
      table.insert(ids, id)
      accepted_ids = table.concat(ids, " ")
    end
  elseif status == 503 and header(headers, "Retry-After") == "5" then
    -- posting's share of threads was taken: "send it again in a few seconds"
    -- (core/unavailable.py, BUSY_RETRY_AFTER_SECONDS). Any other 5xx, the "back in a
    -- minute" of a database that did not answer included, is a failure.
    busy = busy + 1
  elseif status >= 500 then
    failed = failed + 1
  else
    refused = refused + 1
  end
end

function done(summary, latency, requests)
  local a, r, b, f = 0, 0, 0, 0
  local out = io.open(os.getenv("BENCH_ACCEPTED_IDS"), "w")
  for _, thread in ipairs(threads) do
    a = a + thread:get("accepted")
    r = r + thread:get("refused")
    b = b + thread:get("busy")
    f = f + thread:get("failed")
    out:write(thread:get("accepted_ids"), "\n")
  end
  out:close()
  io.write(string.format("RESULT accepted=%d refused=%d busy=%d failed=%d errors=%d\n",
    a, r, b, f, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end

-- wrk script: GET the paths of a file (one "path?query" per line, args[1]) in turn, and count
-- the answers by HTTP status; done() prints one line "statuses {"200": n, "400": n, ...}".
local paths = {}
local counter = 0
statuses = {}  -- a global: done() reads each thread's through thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

-- args[2], optional: "many" sends each request as from another client (X-Forwarded-For, a
-- random address, as a reverse proxy would add it), an address sends every request as from it.
local client = nil

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = math.random(#paths)
  client = args[2]
end

request = function()
  counter = counter % #paths + 1
  local headers = nil
  if client == "many" then
    headers = {["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))}
  elseif client then
    headers = {["X-Forwarded-For"] = client}
  end
  return wrk.format("GET", paths[counter], headers)
end

response = function(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, thread in ipairs(threads) do
    local counts = thread:get("statuses")
    for status, n in pairs(counts) do total[status] = (total[status] or 0) + n end
  end
  local parts = {}
  for status, n in pairs(total) do parts[#parts + 1] = string.format('"%d": %d', status, n) end
  io.write("statuses {" .. table.concat(parts, ", ") .. "}\n")
end

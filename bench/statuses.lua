-- wrk script: GET the paths of a file (one "path?query" per line, args[1]) in turn, and count
-- the answers by HTTP status; done() prints one line "statuses {"200": n, "400": n, ...}".
local paths = {}
local counter = 0
statuses = {}  -- a global: done() reads each thread's through thread:get
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = math.random(#paths)
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
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

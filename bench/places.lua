-- wrk script: GET /api/v1/places/ with a category and a point drawn from bench/queries.txt
-- (one "path?query" per line, written by bench/run.py). Counts non-200 answers.
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  counter = math.random(#paths)
end

request = function()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end

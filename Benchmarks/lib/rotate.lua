-- wrk script that sends a different bearer token on every request, cycling
-- through the file named by BENCH_TOKENS_FILE (one token per line), and prints
-- the same machine-readable summary as summary.lua. Defining request() makes
-- wrk build every request in Lua, which costs the load generator a few µs per
-- request more than a static request: compare contenders that use this script
-- with each other (Portcullis uncached vs HAProxy rotating), and read their
-- CPU µs/request, which counts only the proxy's own CPU.
local path = os.getenv("BENCH_TOKENS_FILE")
assert(path and path ~= "", "BENCH_TOKENS_FILE is not set")
local requests, n = {}, 0
for line in io.lines(path) do
  if line ~= "" then
    n = n + 1
    requests[n] = "Bearer " .. line
  end
end
assert(n > 0, "no tokens in " .. path)
-- Each run continues where the previous one stopped (position kept in <file>.pos), so a
-- warm-up and the measured run, and successive rounds, never replay the same tokens:
-- restarting at a fixed place would turn the first part of every run into cache hits.
local state = path .. ".pos"
local function saved_position()
  local f = io.open(state, "r")
  if not f then return 0 end
  local value = tonumber(f:read("*l"))
  f:close()
  return value or 0
end
local i = saved_position() % n

request = function()
  i = i + 1
  if i > n then i = 1 end
  if i % 256 == 0 then   -- one small write per 256 requests
    local f = io.open(state, "w")
    if f then f:write(i, "\n"); f:close() end
  end
  wrk.headers["Authorization"] = requests[i]
  return wrk.format()
end

local here = debug.getinfo(1, "S").source:match("^@(.*/)") or "./"
dofile(here .. "summary.lua")

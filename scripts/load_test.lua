-- wrk script of scripts/load_test.sh: cycles through the requests of a file (method, path,
-- cookie, form body; tab-separated), each thread from its own offset, and counts the answers
-- by class. A redirect to /login means a session was lost: counted apart.
-- Usage: wrk -s scripts/load_test.lua URL -- REQUESTS_FILE

local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("offset", #threads * 7919)
end

function init(args)
  reqs = {}
  for line in io.lines(args[1]) do
    local method, path, cookie, body = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)\t?(.*)$")
    if method then
      local headers = { ["Cookie"] = cookie }
      if method == "POST" then
        headers["Content-Type"] = "application/x-www-form-urlencoded"
      else
        body = nil
      end
      table.insert(reqs, wrk.format(method, path, headers, body))
    end
  end
  if #reqs == 0 then
    error("no requests in " .. tostring(args[1]))
  end
  n = offset or 0
  c2, c3, c4, c5, lost = 0, 0, 0, 0, 0
end

function request()
  n = n + 1
  return reqs[(n % #reqs) + 1]
end

function response(status, headers, body)
  if status >= 500 then
    c5 = c5 + 1
  elseif status >= 400 then
    c4 = c4 + 1
  elseif status >= 300 then
    c3 = c3 + 1
    local location = headers["Location"] or headers["location"] or ""
    if location:find("/login") then
      lost = lost + 1
    end
  else
    c2 = c2 + 1
  end
end

function done(summary, latency, requests)
  local t = { c2 = 0, c3 = 0, c4 = 0, c5 = 0, lost = 0 }
  for _, thread in ipairs(threads) do
    for key, _ in pairs(t) do
      t[key] = t[key] + (thread:get(key) or 0)
    end
  end
  io.write(string.format("answers 2xx=%d 3xx=%d 4xx=%d 5xx=%d lost=%d\n",
    t.c2, t.c3, t.c4, t.c5, t.lost))
end

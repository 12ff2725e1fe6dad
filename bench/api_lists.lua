-- wrk script for bench/api_lists.py: GET one path (the first argument) again and again; the
-- Authorization and X-Workspace headers come from wrk's -H options.
package.path = package.path .. ";" .. debug.getinfo(1).source:match("@?(.*/)") .. "?.lua"
require("wrk_report")

function init(args)
  path = args[1]
end

request = function()
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  report(summary, latency)
end

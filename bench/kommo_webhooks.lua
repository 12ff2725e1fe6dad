-- wrk script for bench/kommo_webhooks.py: POST unique Kommo chat-message webhooks (form-encoded,
-- bracket keys, as Kommo sends them) to the workspace's webhook URL; `bare` hits /healthz instead.
package.path = package.path .. ";" .. debug.getinfo(1).source:match("@?(.*/)") .. "?.lua"
require("wrk_report")
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  mode, path, account, run = args[1], args[2], args[3], args[4]
end

request = function()
  if mode == "bare" then
    return wrk.format("GET", "/healthz")
  end
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  local body = "message%5Badd%5D%5B0%5D%5Bid%5D=" .. id ..
    "&message%5Badd%5D%5B0%5D%5Bchat_id%5D=chat-" .. id ..
    "&message%5Badd%5D%5B0%5D%5Btalk_id%5D=" .. counter ..
    "&message%5Badd%5D%5B0%5D%5Btext%5D=How+long+does+delivery+take%3F" ..
    "&message%5Badd%5D%5B0%5D%5Btype%5D=incoming&message%5Badd%5D%5B0%5D%5Bentity_type%5D=lead" ..
    "&message%5Badd%5D%5B0%5D%5Bentity_id%5D=" .. counter ..
    "&message%5Badd%5D%5B0%5D%5Borigin%5D=whatsapp" ..
    "&account%5Bid%5D=" .. account .. "&account%5Bsubdomain%5D=bench"
  return wrk.format("POST", path, {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end

done = function(summary, latency, requests)
  report(summary, latency)
end

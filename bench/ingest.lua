-- wrk script for bench/ingest.py: POST unique customer messages to the API channel.
local counter = 0
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  run = args[1]
end

request = function()
  counter = counter + 1
  local id = run .. "-" .. tid .. "-" .. counter
  local body = '{"external_chat_id":"chat-' .. id .. '","external_message_id":"msg-' .. id ..
               '","text":"How long does delivery take?","customer_name":"Load"}'
  return wrk.format("POST", "/api/channels/api/messages", nil, body)
end

done = function(summary, latency, requests)
  io.write(string.format("WRK requests=%d errors=%d duration_s=%.2f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.timeout,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end

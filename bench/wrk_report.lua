-- The summary line every wrk script of bench/ prints (read by _setup.wrk).
function report(summary, latency)
  io.write(string.format("WRK requests=%d errors=%d duration_s=%.2f rps=%.1f p50_ms=%.1f p95_ms=%.1f p99_ms=%.1f\n",
    summary.requests, summary.errors.status + summary.errors.connect + summary.errors.timeout,
    summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000))
end

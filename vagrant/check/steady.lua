-- wrk script for the VM-lab check's drain step.
-- Pacing: each connection waits 20 ms between requests, so the load is steady (about 50
-- requests/s per connection) rather than a flood that saturates a 2-core host.
-- A new connection per request: every nginx reload closes the old workers' idle keep-alive
-- connections, and a request sent into one at that moment fails (issue 13; wrk never retries).
-- That loss comes from reloading, not from draining, and this step measures the drain. Drop the
-- header once routing changes no longer reload nginx.
wrk.headers["Connection"] = "close"

function delay()
  return 20
end

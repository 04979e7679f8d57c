-- wrk script for the VM-lab check's drain step.
-- Pacing: each connection waits 20 ms between requests, so the load is steady (about 50
-- requests/s per connection) rather than a flood that saturates a 2-core host.
-- Keep-alive connections, as real clients use them: instance changes reach nginx as pushed peer
-- sets, not reloads (issue 13), so nothing closes an idle connection under a request; wrk never
-- retries, so any such loss would count.
function delay()
  return 20
end

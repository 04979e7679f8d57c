# Consul CLIENT settings shared by both labs (VM lab: lb1, web1..N; local lab: client agents on
# loopback). Per-lab values (-node, -bind, -advertise, -client, -data-dir, -retry-join, ports,
# secrets) are passed by each lab, exactly as for server.hcl. See consul/README.md.

server = false

log_level            = "INFO"
disable_update_check = true

# Clients may start before the servers are reachable; keep retrying every few seconds.
retry_interval = "5s"

# A client that is stopped (VM halted, agent stopped) leaves the cluster gracefully: its node
# and all its services leave the catalog at once instead of after failure detection.
leave_on_terminate = true

# Push check OUTPUT changes to the servers at once. (Status changes are always immediate; this
# only matters for readable outputs in the UI and `agent status`.)
check_update_interval = "0s"

acl {
  enabled                  = true
  default_policy           = "deny"
  down_policy              = "extend-cache"
  enable_token_persistence = true
}

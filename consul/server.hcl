# Consul SERVER settings shared by both labs (VM lab: consul1..3; local lab: three servers on
# loopback). Only what is true of every Discovery server lives here. Per-lab values are passed
# by each lab as flags or as a second config file: -node, -bind, -advertise, -client, -data-dir,
# -retry-join, -ports/-*-port, -datacenter, and secrets (encrypt key, ACL tokens).
# Must stay valid for Consul 1.8 (local lab) AND current Consul (VM lab). See consul/README.md.

server           = true
bootstrap_expect = 3

# The web UI. Current Consul maps this to ui_config.enabled (with a deprecation warning);
# ui_config does not exist in 1.8, so the old key is the one both versions accept.
ui = true

log_level            = "INFO"
disable_update_check = true

# Production timing (1 = fastest leader election and failure detection); Consul's default (5)
# is tuned for small cloud instances and would stretch a server failover to ~10 s.
performance {
  raft_multiplier = 1
}

# Servers come up one after another (Vagrant boots VMs in order): retry joining often instead
# of every 30 s, so the cluster forms as soon as the last server is up.
retry_interval = "5s"

# A server that is stopped must not leave the raft peer set (it would shrink the quorum);
# a crashed server that never returns is reaped by autopilot after the stabilization window.
leave_on_terminate      = false
skip_leave_on_interrupt = true
reconnect_timeout       = "8h"

autopilot {
  cleanup_dead_servers      = true
  last_contact_threshold    = "200ms"
  server_stabilization_time = "10s"
}

acl {
  enabled                  = true
  default_policy           = "deny"
  # If the servers are unreachable, keep using cached ACL decisions: agents and apps keep
  # working through a server outage ("Consul down: apps keep running").
  down_policy              = "extend-cache"
  enable_token_persistence = true
}

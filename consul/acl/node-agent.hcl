# Policy "discovery-node-agent": the node agent on every app node.
# Least privilege: it registers itself and the instances of its apps on the LOCAL Consul agent,
# passes their TTL checks, puts them in maintenance to drain them, deregisters them, and reads
# its placement. It never writes KV.
#
# Write access to the app services themselves comes from the token, not from this file: the
# token is created with one service identity per app the node runs
# (`-service-identity=web`), which grants `service "web" { policy = "write" }` (plus read on all
# services and nodes). So the same policy serves any set of apps without editing it.

# The agent's own registration ("discovery-agent", TTL check) on every node.
service "discovery-agent" {
  policy = "write"
}

# Health/catalog blocking queries (is my instance out of rotation yet? which nodes run agents?).
service_prefix "" {
  policy = "read"
}

node_prefix "" {
  policy = "read"
}

# discovery/apps/<app>/placement/<node> and desired; discovery/lb/... for the drain handshake.
key_prefix "discovery/" {
  policy = "read"
}

# /v1/agent/self and /v1/agent/services|checks on the local agent (adopt what a previous run left).
agent_prefix "" {
  policy = "read"
}

# Policy "discovery-renderer": the load balancer node's renderer (the agent's built-in renderer,
# `agent render`, by default; consul-template in the VM lab when HashiCorp's repository is given)
# and the `lb` service registration.
# Least privilege: read the catalog and discovery/ KV that the templates use; register the `lb`
# service (with meta stub_status and its TTL check) that the scalers read; publish what this load
# balancer routes under discovery/lb/<name>/ (routed), which the node agents' drain and
# `agent scale --wait` read: that write is granted for its own <name> only, by
# scoped/renderer-lb.hcl (one policy per load balancer). Nothing else is written.

service_prefix "" {
  policy = "read"
}

node_prefix "" {
  policy = "read"
}

# keyOrDefault "discovery/lb/default-app", and anything else a template reads.
key_prefix "discovery/" {
  policy = "read"
}

service "lb" {
  policy = "write"
}

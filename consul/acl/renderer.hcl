# Policy "discovery-renderer": the load balancer node's renderer (consul-template in the VM lab,
# the agent's built-in renderer in the local lab) and the `lb` service registration.
# Least privilege: read the catalog and discovery/ KV that the templates use; register the `lb`
# service (with meta stub_status) that the scalers read. Nothing else is written.

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

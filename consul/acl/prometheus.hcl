# Policy "discovery-prometheus": the labs' Prometheus, which finds what to scrape through Consul
# (consul_sd_configs): the node agents (service discovery-agent), the load balancers' renderers
# (service lb) and the app instances, each /metrics address from their registration's meta.
# Least privilege: read the catalog; no KV, no writes.

service_prefix "" {
  policy = "read"
}

node_prefix "" {
  policy = "read"
}

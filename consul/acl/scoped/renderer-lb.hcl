# Policy "discovery-renderer-<lb>": added to the renderer token of load balancer <lb> (next to
# discovery-renderer). @NAME@ is replaced by the load balancer's name (its renderer config's `name`)
# when a lab creates the policy. A prefix on discovery/lb/ would let one load balancer's renderer
# rewrite another's `routed` list (what drains and `scale --wait` trust) or discovery/lb/default-app.
key_prefix "discovery/lb/@NAME@/" {
  policy = "write"
}

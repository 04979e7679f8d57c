# Policy "discovery-scaler": a scaler process (two or more run; one leads via a session lock).
# Least privilege: it writes only under discovery/apps/ (desired, placement, leader, history,
# scaler-state), creates the sessions for its leader lock on its OWN node only (that rule is in
# scoped/scaler-node.hcl, one policy per node), and reads the catalog (node agents, the `lb`
# service and its stub_status URL, app instances).
#
# Its session is tied to a TTL check the scaler process itself keeps passing. That check is a
# node-level check on the scaler's node, which needs node:write on that node only: the token is
# created with a node identity (`-node-identity=<node>:<dc>`) instead of a broader rule here.

key_prefix "discovery/apps/" {
  policy = "write"
}

# The rest of discovery/ (e.g. discovery/lb/...) is read-only for the scaler.
key_prefix "discovery/" {
  policy = "read"
}

# Who holds a lock (status, hand-over). Writing a session — create, renew, destroy — is allowed
# on the scaler's own node only: scoped/scaler-node.hcl.
session_prefix "" {
  policy = "read"
}

service_prefix "" {
  policy = "read"
}

node_prefix "" {
  policy = "read"
}

agent_prefix "" {
  policy = "read"
}

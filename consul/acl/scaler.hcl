# Policy "discovery-scaler": a scaler process (two or more run; one leads via a session lock).
# Least privilege: it writes only under discovery/apps/ (desired, placement, leader, history,
# scaler-state), creates the sessions for its leader lock, and reads the catalog (node agents,
# the `lb` service and its stub_status URL, app instances).
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

# Sessions for the leader lock (created against the scaler's own node).
session_prefix "" {
  policy = "write"
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

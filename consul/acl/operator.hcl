# Policy "discovery-operator": a person running `agent scale`, `agent status`, or the Consul UI.
# Least privilege: may change what the fleet SHOULD do (discovery/apps/<app>/desired, hold,
# policy, autoscale: granted per app by scoped/operator-app.hcl) and read everything the status
# view shows; it cannot place instances, write the scaler's state or history, register services,
# pass checks, take the leader lock, or touch ACLs.

# `agent pg switchover --to <node>` writes discovery/pg-requests/<cluster>/switchover; the cluster
# state under discovery/pg/ stays the failover leader's alone (read-only here).
key_prefix "discovery/pg-requests/" {
  policy = "write"
}

key_prefix "discovery/" {
  policy = "read"
}

service_prefix "" {
  policy = "read"
}

node_prefix "" {
  policy = "read"
}

# Who holds the leader lock (session of discovery/apps/<app>/leader).
session_prefix "" {
  policy = "read"
}

agent_prefix "" {
  policy = "read"
}

# Raft peers and autopilot health for the status view.
operator = "read"

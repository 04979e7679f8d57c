# Policy "discovery-postgres": added to the node agent token of a node that runs a Postgres member.
# Least privilege: the member registers service "pg" (tags primary/replica/...), passes its TTL
# check, and reads the cluster state; as a failover-leader contender it holds a session lock on
# discovery/pg/<cluster>/leader and writes the state and history there (fenced: check-session).
# The lock's TTL check is a node check, so the token also needs a node identity for its node
# (`-node-identity=<node>:<dc>`), as the scaler's does. It may read, never write, the operator's
# switchover requests.

service "pg" {
  policy = "write"
}

key_prefix "discovery/pg/" {
  policy = "write"
}

key_prefix "discovery/pg-requests/" {
  policy = "read"
}

session_prefix "" {
  policy = "write"
}

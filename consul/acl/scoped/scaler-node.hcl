# Policy "discovery-scaler-<node>": added to the scaler token of node <node> (next to
# discovery-scaler). @NAME@ is replaced by the node's name when a lab creates the policy: Consul 1.8
# has no templated policies, and a prefix rule would let a scaler hold or destroy sessions on every
# node, i.e. break or steal another scaler's leader lock.
#
# Sessions for the leader lock, on this node only (the scaler's session is tied to its own node).
session "@NAME@" {
  policy = "write"
}

# Policy "discovery-operator-<app>": added to the operator token for each app <app> (next to
# discovery-operator). @NAME@ is replaced by the app's name when a lab creates the policy.
# Exactly the keys a person sets (docs/contract.md): the scaler's own keys under the same folder —
# placement, leader, history, scaler-state — stay read-only, so an operator cannot place
# instances, fake a decision or forge the leader's state.
key "discovery/apps/@NAME@/desired" {
  policy = "write"
}

key "discovery/apps/@NAME@/hold" {
  policy = "write"
}

key "discovery/apps/@NAME@/policy" {
  policy = "write"
}

key "discovery/apps/@NAME@/autoscale" {
  policy = "write"
}

# `agent deploy` writes a request the app's scaler leader acts on (and deletes); the deploy state,
# weights and history stay the leader's.
key "discovery/apps/@NAME@/deploy-request" {
  policy = "write"
}

# `agent flags set`: the app's feature flags (node agents deliver them to instances).
key_prefix "discovery/apps/@NAME@/flags/" {
  policy = "write"
}

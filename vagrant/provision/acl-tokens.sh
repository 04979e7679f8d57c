#!/usr/bin/env bash
# Creates the Discovery ACL policies (from consul/acl/*.hcl, by path) and this VM's tokens, using
# the management token and the AccessorID/SecretID pairs the Vagrantfile generated on the host.
# Idempotent and race-safe: every VM may run it at the same time; what exists is kept (policies
# are updated to the current file content). Run on servers by discovery-acl-tokens.service
# (retried until a leader exists), inline on clients.
#
# Token names → what they carry (same roles as the local lab; see consul/README.md):
#   consul-agent-<node>  node identity <node>        (the Consul agent's own token)
#   node-agent-<node>    policy discovery-node-agent + one service identity per app in $APPS
#   scaler-<node>        policy discovery-scaler + node identity <node> (its TTL check)
#   renderer-<node>      policy discovery-renderer
#   pg-node-agent-<node> policies discovery-node-agent + discovery-postgres + node identity <node>
#                        (a Postgres member's node agent: it runs no app, registers `pg`, and
#                        contends for the failover lock, whose TTL check is a node check)
#   todo-app             policy discovery-todo-app (the todo app on every web node: reads `pg` health)
#   operator             policy discovery-operator
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env TOKENS DATACENTER

export CONSUL_HTTP_ADDR="${CONSUL_HTTP_ADDR:-http://127.0.0.1:8500}"
CONSUL_HTTP_TOKEN="$(token_secret management)"
export CONSUL_HTTP_TOKEN
wait_seconds="${TOKEN_WAIT_SECONDS:-60}"

# A leader, and the management token known to it (the leader creates it on election).
deadline=$((SECONDS + wait_seconds))
until consul acl token read -self >/dev/null 2>&1; do
  [ "$SECONDS" -lt "$deadline" ] || die "no Consul leader accepted the management token within ${wait_seconds}s"
  sleep 3
done

# Literal paths on purpose: the repository's drift test reads them (SharedLabFiles).
policy_files=(
  "$REPO/consul/acl/node-agent.hcl"
  "$REPO/consul/acl/scaler.hcl"
  "$REPO/consul/acl/renderer.hcl"
  "$REPO/consul/acl/operator.hcl"
  "$REPO/consul/acl/postgres.hcl"
  "$REPO/consul/acl/todo-app.hcl"
)
for rules in "${policy_files[@]}"; do
  [ -f "$rules" ] || die "missing $rules"
  policy="discovery-$(basename "$rules" .hcl)"
  for _ in 1 2 3; do
    if consul acl policy read -name "$policy" >/dev/null 2>&1; then
      consul acl policy update -name "$policy" -rules "@$rules" >/dev/null && break
    elif consul acl policy create -name "$policy" -rules "@$rules" \
      -description "Discovery: $rules" >/dev/null; then
      log "created policy $policy"
      break
    fi
    sleep 2 # another VM created or updated it at the same moment: read again
  done
  consul acl policy read -name "$policy" >/dev/null || die "could not create policy $policy"
done

for token in $TOKENS; do
  accessor="$(tr -d '[:space:]' <"$LAB/secrets/tokens/$token.accessor")"
  consul acl token read -id "$accessor" >/dev/null 2>&1 && continue
  args=()
  case "$token" in
    consul-agent-*) args+=(-node-identity="${token#consul-agent-}:$DATACENTER") ;;
    node-agent-*)
      args+=(-policy-name=discovery-node-agent)
      for app in ${APPS:-web}; do args+=(-service-identity="$app"); done
      ;;
    scaler-*) args+=(-policy-name=discovery-scaler -node-identity="${token#scaler-}:$DATACENTER") ;;
    renderer-*) args+=(-policy-name=discovery-renderer) ;;
    pg-node-agent-*)
      args+=(-policy-name=discovery-node-agent -policy-name=discovery-postgres -node-identity="${token#pg-node-agent-}:$DATACENTER")
      ;;
    todo-app) args+=(-policy-name=discovery-todo-app) ;;
    operator) args+=(-policy-name=discovery-operator) ;;
    *) die "unknown token role '$token'" ;;
  esac
  if consul acl token create -accessor="$accessor" -secret="$(token_secret "$token")" \
    -description="Discovery VM lab: $token" "${args[@]}" >/dev/null; then
    log "created token $token"
  else
    consul acl token read -id "$accessor" >/dev/null || die "could not create token $token"
  fi
done
log "ACL policies and tokens ready: $TOKENS"

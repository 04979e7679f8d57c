#!/usr/bin/env bash
# Creates the Discovery ACL policies (from consul/acl/*.hcl, by path) and the lab's tokens, using
# the management token and the AccessorID/SecretID pairs the Vagrantfile generated on the host.
# Runs on the Consul servers only (discovery-acl-tokens.service, retried until a leader exists):
# they alone receive the management token and every token's secret — a server's Raft store holds
# all of them anyway. Clients only receive their own tokens and wait until those work.
# Idempotent and race-safe: all three servers may run it at the same time; what exists is kept
# (policies are updated to the current file content).
#
# Token names → what they carry (same roles as the local lab; see consul/README.md):
#   consul-agent-<node>  node identity <node>        (the Consul agent's own token)
#   node-agent-<node>    policy discovery-node-agent + one service identity per app in $APPS
#   scaler-<node>        policies discovery-scaler + discovery-scaler-<node> (sessions on <node>
#                        only) + node identity <node> (its TTL check)
#   renderer-<lb>        policies discovery-renderer + discovery-renderer-<lb> (discovery/lb/<lb>/)
#   pg-node-agent-<node> policies discovery-node-agent + discovery-postgres + node identity <node>
#                        (a Postgres member's node agent: it runs no app, registers `pg`, and
#                        contends for the failover lock, whose TTL check is a node check)
#   todo-app             policy discovery-todo-app (the todo app on every web node: reads `pg` health)
#   operator             policies discovery-operator + discovery-operator-<app> per app in $APPS
# Scoped policies come from consul/acl/scoped/<kind>.hcl with @NAME@ replaced (Consul 1.8 has no
# templated policies). No secret is ever on a command line: tokens are created through the HTTP
# API with the body on stdin and the management token in a header read from a file descriptor.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env TOKENS DATACENTER

export CONSUL_HTTP_ADDR="${CONSUL_HTTP_ADDR:-http://127.0.0.1:8500}"
CONSUL_HTTP_TOKEN="$(token_secret management)"
export CONSUL_HTTP_TOKEN
wait_seconds="${TOKEN_WAIT_SECONDS:-60}"
name_pattern='^[A-Za-z0-9][A-Za-z0-9._-]*$'
uuid_pattern='^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'

# A leader, and the management token known to it (the leader creates it on election).
deadline=$((SECONDS + wait_seconds))
until consul acl token read -self >/dev/null 2>&1; do
  [ "$SECONDS" -lt "$deadline" ] || die "no Consul leader accepted the management token within ${wait_seconds}s"
  sleep 3
done

# ensure_policy NAME RULES_FILE: creates or updates policy NAME with the file's rules.
ensure_policy() {
  local policy="$1" rules="$2"
  for _ in 1 2 3; do
    if consul acl policy read -name "$policy" >/dev/null 2>&1; then
      consul acl policy update -name "$policy" -rules "@$rules" >/dev/null && return 0
    elif consul acl policy create -name "$policy" -rules "@$rules" -description "Discovery: $policy" >/dev/null; then
      log "created policy $policy"
      return 0
    fi
    sleep 2 # another server created or updated it at the same moment: read again
  done
  consul acl policy read -name "$policy" >/dev/null || die "could not create policy $policy"
}

# ensure_scoped_policy KIND NAME: policy discovery-KIND-NAME from consul/acl/scoped/KIND.hcl.
scoped_dir="$(mktemp -d)"
trap 'rm -rf "$scoped_dir"' EXIT
ensure_scoped_policy() {
  local kind="$1" name="$2" template
  [[ "$name" =~ $name_pattern ]] || die "'$name' is not a valid name for policy discovery-$kind-NAME"
  case "$kind" in
    scaler-node) template="$REPO/consul/acl/scoped/scaler-node.hcl" ;;
    renderer-lb) template="$REPO/consul/acl/scoped/renderer-lb.hcl" ;;
    operator-app) template="$REPO/consul/acl/scoped/operator-app.hcl" ;;
    *) die "unknown scoped policy kind '$kind'" ;;
  esac
  [ -f "$template" ] || die "missing $template"
  sed "s/@NAME@/$name/g" "$template" >"$scoped_dir/$kind-$name.hcl"
  ensure_policy "discovery-${kind%-*}-$name" "$scoped_dir/$kind-$name.hcl"
}

# Literal paths on purpose: the repository's drift test reads them (SharedLabFiles).
policy_files=(
  "$REPO/consul/acl/node-agent.hcl"
  "$REPO/consul/acl/scaler.hcl"
  "$REPO/consul/acl/renderer.hcl"
  "$REPO/consul/acl/operator.hcl"
  "$REPO/consul/acl/postgres.hcl"
  "$REPO/consul/acl/todo-app.hcl"
  "$REPO/consul/acl/prometheus.hcl"
)
for rules in "${policy_files[@]}"; do
  [ -f "$rules" ] || die "missing $rules"
  ensure_policy "discovery-$(basename "$rules" .hcl)" "$rules"
done

# consul_api METHOD PATH < body: Consul's HTTP API as the management token (header from a file
# descriptor, body from stdin: neither appears in any process's argv). Prints the response.
consul_api() {
  local tls=()
  [ -z "${CONSUL_CACERT:-}" ] || tls=(--cacert "$CONSUL_CACERT")
  curl -fsS "${tls[@]}" -X "$1" --header @<(printf 'X-Consul-Token: %s\n' "$CONSUL_HTTP_TOKEN") \
    --data-binary @- "$CONSUL_HTTP_ADDR$2"
}

# JSON lists for the token body (names are checked against $name_pattern: nothing to escape).
json_names() { local key="$1" sep="" item; shift; printf '['; for item in "$@"; do printf '%s{"%s":"%s"}' "$sep" "$key" "$item"; sep=,; done; printf ']'; }
json_nodes() { local sep="" item; printf '['; for item in "$@"; do printf '%s{"NodeName":"%s","Datacenter":"%s"}' "$sep" "$item" "$DATACENTER"; sep=,; done; printf ']'; }

for token in $TOKENS; do
  accessor="$(tr -d '[:space:]' <"$LAB/secrets/tokens/$token.accessor")"
  [[ "$accessor" =~ $uuid_pattern ]] || die "$token.accessor is not a UUID"
  consul acl token read -id "$accessor" >/dev/null 2>&1 && continue
  policies=() services=() nodes=()
  case "$token" in
    consul-agent-*) nodes=("${token#consul-agent-}") ;;
    node-agent-*)
      policies=(discovery-node-agent)
      for app in ${APPS:-web}; do services+=("$app"); done
      ;;
    scaler-*)
      ensure_scoped_policy scaler-node "${token#scaler-}"
      policies=(discovery-scaler "discovery-scaler-${token#scaler-}") nodes=("${token#scaler-}")
      ;;
    renderer-*)
      ensure_scoped_policy renderer-lb "${token#renderer-}"
      policies=(discovery-renderer "discovery-renderer-${token#renderer-}")
      ;;
    operator)
      policies=(discovery-operator)
      for app in ${APPS:-web}; do ensure_scoped_policy operator-app "$app"; policies+=("discovery-operator-$app"); done
      ;;
    pg-node-agent-*)
      policies=(discovery-node-agent discovery-postgres) nodes=("${token#pg-node-agent-}")
      ;;
    todo-app) policies=(discovery-todo-app) ;;
    *) die "unknown token role '$token'" ;;
  esac
  for name in "${nodes[@]}" "${services[@]}"; do [[ "$name" =~ $name_pattern ]] || die "'$name' is not a valid node or app name"; done
  secret="$(token_secret "$token")"
  [[ "$secret" =~ $uuid_pattern ]] || die "$token.secret is not a UUID"
  if printf '{"AccessorID":"%s","SecretID":"%s","Description":"Discovery VM lab: %s","Policies":%s,"ServiceIdentities":%s,"NodeIdentities":%s}' \
    "$accessor" "$secret" "$token" "$(json_names Name "${policies[@]}")" "$(json_names ServiceName "${services[@]}")" "$(json_nodes "${nodes[@]}")" \
    | consul_api PUT /v1/acl/token >/dev/null; then
    log "created token $token"
  else
    consul acl token read -id "$accessor" >/dev/null || die "could not create token $token"
  fi
done
log "ACL policies and tokens ready: $TOKENS"

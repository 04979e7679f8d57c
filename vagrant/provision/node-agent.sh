#!/usr/bin/env bash
# web* and pg*: the Discovery node agent. Safe to re-run.
#   web*  vagrant/config/node.yaml: the sample app and the todo app
#   pg*   NODE_CONFIG=pg-node.yaml: a Postgres member (PG_ROLE, PG_UPSTREAM for its first start;
#         postgres.sh installed Postgres before this runs)
# PG_SECRETS names the Postgres passwords this node needs (web: the todo app's; pg: all three).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME NODE_IP TOKENS

# The agent runs as root (discovery-node.service says why) and starts every app instance as
# discovery-app, a user with no access to any token, config or state file of the agent (0600/0700
# root); a Postgres member runs as discovery (pg-node.yaml: runAs).
if ! id discovery-app >/dev/null 2>&1; then
  useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin --user-group discovery-app
fi
# 0711: apps may pass through to flags/<app>.json (0644, written by the agent: feature flags are
# not secrets) but cannot list the folder; the state file inside stays 0600.
install -d -m 0711 -o root -g root /var/lib/discovery/node
# Tokens and passwords, 0600, each owned by the one user that reads it: the node agent's by root,
# the todo app's by discovery-app; a member's Postgres passwords by its (root) node agent.
for token in $TOKENS; do
  case "$token" in
    node-agent-* | pg-node-agent-*) install_token "$token" root:root ;;
    todo-app) install_token "$token" discovery-app:discovery-app ;;
  esac
done
secret_owner=discovery-app:discovery-app
[ "${NODE_CONFIG:-node.yaml}" = node.yaml ] || secret_owner=root:root
for secret in ${PG_SECRETS:-}; do install_postgres_secret "$secret" "$secret_owner"; done
put_file "$ETC/agent.env" 0644 root:root <<<"CONSUL_HTTP_ADDR=https://127.0.0.1:8501
CONSUL_CACERT=/etc/discovery/tls/ca.pem"
template="$REPO/vagrant/config/${NODE_CONFIG:-node.yaml}"
[ -f "$template" ] || die "missing $template"
# The sample app's releases (issue 16) on web nodes: the lab can deploy between them.
if [ "${NODE_CONFIG:-node.yaml}" = node.yaml ]; then
  for version in 1.0.0 1.1.0; do
    mkdir -p "/opt/discovery/releases/web/$version"
    echo "web $version: the sample app, run with --version $version" > "/opt/discovery/releases/web/$version/RELEASE"
  done
fi
# @NETWORK@: the private /24 (Postgres accepts its clients from there); @UPSTREAM@ "~" is YAML's null.
put_file "$ETC/node.yaml" 0600 root:root < <(sed -e "s/@NODE@/$NODE_NAME/g" -e "s/@ADDRESS@/$NODE_IP/g" \
  -e "s|@NETWORK@|${NODE_IP%.*}.0/24|g" -e "s/@ROLE@/${PG_ROLE:-}/g" -e "s/@UPSTREAM@/${PG_UPSTREAM:-~}/g" "$template")
record_binaries discovery-node # restart when a new agent or app was published
install_unit discovery-node.service
apply_service discovery-node
log "node agent ready"

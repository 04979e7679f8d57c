#!/usr/bin/env bash
# web*: the Discovery node agent (runs the sample app instances). Safe to re-run.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME NODE_IP

# The agent runs as root (discovery-node.service says why) and starts every app instance as
# discovery-app, a user with no access to any token, config or state file here (all 0600/0700 root).
if ! id discovery-app >/dev/null 2>&1; then
  useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin --user-group discovery-app
fi
install -d -m 0700 -o root -g root /var/lib/discovery/node
install_token "node-agent-$NODE_NAME" root:root
put_file "$ETC/agent.env" 0644 root:root <<<"CONSUL_HTTP_ADDR=https://127.0.0.1:8501
CONSUL_CACERT=/etc/discovery/tls/ca.pem"
template="$REPO/vagrant/config/node.yaml"
[ -f "$template" ] || die "missing $template"
put_file "$ETC/node.yaml" 0600 root:root < <(sed -e "s/@NODE@/$NODE_NAME/g" -e "s/@ADDRESS@/$NODE_IP/g" "$template")
record_binaries discovery-node # restart when a new agent or webapp was published
install_unit discovery-node.service
apply_service discovery-node
log "node agent ready"

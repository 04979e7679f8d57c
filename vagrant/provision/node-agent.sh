#!/usr/bin/env bash
# web*: the Discovery node agent (runs the sample app instances). Safe to re-run.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME NODE_IP

install -d -m 0750 -o discovery -g discovery /var/lib/discovery/node
install_token "node-agent-$NODE_NAME" root:discovery
put_file "$ETC/agent.env" 0644 root:root <<<"CONSUL_HTTP_ADDR=http://127.0.0.1:8500"
template="$REPO/vagrant/config/node.yaml"
[ -f "$template" ] || die "missing $template"
# The sample app's releases (issue 16): the lab can deploy between them.
for version in 1.0.0 1.1.0; do
  mkdir -p "/opt/discovery/releases/web/$version"
  echo "web $version: the sample app, run with --version $version" > "/opt/discovery/releases/web/$version/RELEASE"
done
put_file "$ETC/node.yaml" 0640 root:discovery < <(sed -e "s/@NODE@/$NODE_NAME/g" -e "s/@ADDRESS@/$NODE_IP/g" "$template")
record_binaries discovery-node # restart when a new agent or webapp was published
install_unit discovery-node.service
apply_service discovery-node
log "node agent ready"

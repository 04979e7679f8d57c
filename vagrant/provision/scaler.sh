#!/usr/bin/env bash
# lb1 and web1: a Discovery scaler (two for HA; a Consul session lock picks the leader).
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME

install -d -m 0750 -o discovery -g discovery /var/lib/discovery/scaler
install_token "scaler-$NODE_NAME" discovery:discovery # the scaler runs as discovery
put_file "$ETC/agent.env" 0644 root:root <<<"CONSUL_HTTP_ADDR=https://127.0.0.1:8501
CONSUL_CACERT=/etc/discovery/tls/ca.pem"
template="$REPO/vagrant/config/scaler.yaml"
[ -f "$template" ] || die "missing $template"
put_file "$ETC/scaler.yaml" 0640 root:discovery < <(sed -e "s/@NODE@/$NODE_NAME/g" "$template")
record_binaries discovery-scaler # restart when a new agent was published
install_unit discovery-scaler.service
apply_service discovery-scaler
log "scaler ready"

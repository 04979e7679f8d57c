#!/usr/bin/env bash
# Every VM: the Consul agent, as a server (consul1..3) or a client (lb1, web*). The shared
# consul/server.hcl or consul/client.hcl is used AS IS, by path; everything specific to this VM
# is passed as flags (consul/README.md): node name, addresses, data dir, join list. Secrets
# (gossip key, ACL tokens) go in a root-only file next to it. Then this VM's ACL tokens.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME NODE_IP CONSUL_ROLE RETRY_JOIN DATACENTER TOKENS

# Literal paths on purpose: the repository's drift test reads them (SharedLabFiles).
case "$CONSUL_ROLE" in
  server) shared_config="$REPO/consul/server.hcl" ;;
  client) shared_config="$REPO/consul/client.hcl" ;;
  *) die "CONSUL_ROLE must be server or client, not '$CONSUL_ROLE'" ;;
esac
[ -f "$shared_config" ] || die "missing $shared_config"

install -d -m 0750 -o consul -g consul /var/lib/consul
install -d -m 0750 -o root -g consul "$ETC/consul.d"

# Only consul1 serves the UI to the host (through the forwarded port, which arrives on the NAT
# interface, hence 0.0.0.0; ACLs deny anonymous reads). Everyone else listens on loopback: all
# Discovery processes talk to their LOCAL agent.
client_addr=127.0.0.1
[ "$NODE_NAME" != consul1 ] || client_addr=0.0.0.0

flags=(-config-file="$shared_config" -config-dir="$ETC/consul.d"
  -node="$NODE_NAME" -datacenter="$DATACENTER" -bind="$NODE_IP" -advertise="$NODE_IP"
  -client="$client_addr" -data-dir=/var/lib/consul)
for server in $RETRY_JOIN; do flags+=(-retry-join="$server"); done
put_file "$ETC/consul.env" 0644 root:root <<<"CONSUL_FLAGS=${flags[*]}"

gossip_key="$(tr -d '[:space:]' <"$LAB/secrets/gossip.key")"
agent_token="$(token_secret "consul-agent-$NODE_NAME")"
management_line=""
if [ "$CONSUL_ROLE" = server ]; then
  # The cluster's first leader creates this management token itself: no `acl bootstrap` step,
  # and the VMs know it in advance (generated on the host by the Vagrantfile).
  # Consul 1.8 (Debian's, the default) names it `master`; 1.11+ `initial_management`.
  management_key=initial_management
  version="$(/usr/local/bin/consul version | sed -n 's/^Consul v\([0-9]*\)\.\([0-9]*\).*/\1 \2/p')"
  read -r major minor <<<"$version"
  if [ "${major:-0}" -lt 1 ] || { [ "${major:-0}" -eq 1 ] && [ "${minor:-0}" -lt 11 ]; }; then
    management_key=master
  fi
  management_line="$management_key = \"$(token_secret management)\""
fi
put_file "$ETC/consul.d/00-secrets.hcl" 0640 root:consul <<SECRETS
# Written by vagrant/provision/consul.sh: this VM's secrets. Not shared, not in git.
encrypt = "$gossip_key"
acl {
  tokens {
    $management_line
    agent = "$agent_token"
  }
}
SECRETS

install_unit consul.service
apply_service consul
wait_for_http http://127.0.0.1:8500/v1/status/leader 60 || die "the local Consul agent did not answer on 127.0.0.1:8500"

# ACL policies and this VM's tokens. A server cannot wait here: with VirtualBox the VMs boot one
# by one, so consul1 and consul2 have no leader until consul3 is up. On servers a oneshot unit
# retries in the background until it succeeds; clients boot after the servers and wait inline.
put_file "$ETC/acl-tokens.env" 0644 root:root <<<"TOKENS=$TOKENS
DATACENTER=$DATACENTER
APPS=${APPS:-web}"
install_unit discovery-acl-tokens.service
if [ "$CONSUL_ROLE" = server ]; then
  systemctl daemon-reload
  systemctl enable --quiet discovery-acl-tokens.service
  systemctl start --no-block discovery-acl-tokens.service
  CHANGED=0
else
  TOKEN_WAIT_SECONDS=600 "$REPO/vagrant/provision/acl-tokens.sh"
fi
log "consul $CONSUL_ROLE ready"

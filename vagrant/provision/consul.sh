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

# The HTTP(S) API listens on loopback: all Discovery processes talk to their LOCAL agent, over
# HTTPS (8501, with the CA file). Plaintext HTTP (8500) stays on loopback for the provisioning
# scripts and tools that default to it. Only consul1 serves the UI to the host, HTTPS only,
# through the forwarded port, which arrives on the NAT interface, hence 0.0.0.0 for https (ACLs
# deny anonymous reads).
flags=(-config-file="$shared_config" -config-dir="$ETC/consul.d"
  -node="$NODE_NAME" -datacenter="$DATACENTER" -bind="$NODE_IP" -advertise="$NODE_IP"
  -client=127.0.0.1 -data-dir=/var/lib/consul)
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
put_file "$ETC/consul.d/00-secrets.hcl" 0600 consul:consul <<SECRETS
# Written by vagrant/provision/consul.sh: this VM's secrets. Not shared, not in git.
encrypt = "$gossip_key"
acl {
  tokens {
    $management_line
    agent = "$agent_token"
  }
}
SECRETS

# TLS: this VM's certificate from the host's CA (Vagrantfile). Every RPC connection is mutually
# authenticated (verify_incoming_rpc + verify_outgoing) and clients check that they talk to a real
# server (verify_server_hostname: server.<dc>.consul). The HTTPS API does not ask for client
# certificates (verify_incoming_https stays off): ACL tokens authorise API calls, and every
# Discovery process would otherwise need a certificate of its own.
install -d -m 0755 "$ETC/tls"
copy_file "$LAB/secrets/tls/ca.pem" "$ETC/tls/ca.pem" 0644 root:root
copy_file "$LAB/secrets/tls/agent.pem" "$ETC/tls/consul.pem" 0644 root:root
copy_file "$LAB/secrets/tls/agent-key.pem" "$ETC/tls/consul-key.pem" 0600 consul:consul
https_address=127.0.0.1
[ "$NODE_NAME" != consul1 ] || https_address=0.0.0.0
put_file "$ETC/consul.d/10-tls.hcl" 0644 root:root <<TLS
# Written by vagrant/provision/consul.sh: TLS for the VM lab (the local lab runs without).
ca_file                = "$ETC/tls/ca.pem"
cert_file              = "$ETC/tls/consul.pem"
key_file               = "$ETC/tls/consul-key.pem"
verify_incoming_rpc    = true
verify_outgoing        = true
verify_server_hostname = true
ports {
  https = 8501
}
addresses {
  http  = "127.0.0.1"
  https = "$https_address"
}
TLS

install_unit consul.service
apply_service consul
wait_for_http http://127.0.0.1:8500/v1/status/leader 60 || die "the local Consul agent did not answer on 127.0.0.1:8500"

# ACL policies and tokens. Only servers hold the management token, so they create every token
# ($TOKENS is the whole lab's list there). A server cannot wait here: with VirtualBox the VMs boot
# one by one, so consul1 and consul2 have no leader until consul3 is up; a oneshot unit retries in
# the background until it succeeds. Clients boot after the servers and wait until each of their
# own tokens is accepted (the token goes to the CLI in the environment, never on argv).
if [ "$CONSUL_ROLE" = server ]; then
  put_file "$ETC/acl-tokens.env" 0644 root:root <<<"TOKENS=$TOKENS
DATACENTER=$DATACENTER
APPS=${APPS:-web}"
  install_unit discovery-acl-tokens.service
  systemctl daemon-reload
  systemctl enable --quiet discovery-acl-tokens.service
  systemctl start --no-block discovery-acl-tokens.service
  CHANGED=0
else
  deadline=$((SECONDS + 600))
  for token in $TOKENS; do
    until CONSUL_HTTP_TOKEN="$(token_secret "$token")" /usr/local/bin/consul acl token read -self >/dev/null 2>&1; do
      [ "$SECONDS" -lt "$deadline" ] || die "token $token was not created by the servers within 600 s (see discovery-acl-tokens.service on consul1..3)"
      sleep 3
    done
  done
  log "tokens ready: $TOKENS"
fi
log "consul $CONSUL_ROLE ready"

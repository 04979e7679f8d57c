#!/usr/bin/env bash
# Every VM: OS packages, Consul and consul-template from HashiCorp's apt repository (the
# product's documented install path), the published agent + sample app, the operator's
# environment. Safe to re-run.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME

export DEBIAN_FRONTEND=noninteractive
keyring=/usr/share/keyrings/hashicorp-archive-keyring.gpg
repo_list=/etc/apt/sources.list.d/hashicorp.list
hashicorp_apt="https://apt.releases.hashicorp.com"

if ! command -v curl >/dev/null || ! command -v gpg >/dev/null; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends ca-certificates curl gnupg >/dev/null
fi

if [ ! -s "$keyring" ]; then
  log "adding HashiCorp's signed apt repository"
  curl -fsSL "$hashicorp_apt/gpg" | gpg --dearmor --yes -o "$keyring"
fi
# shellcheck source=/dev/null
codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
put_file "$repo_list" 0644 root:root <<<"deb [signed-by=$keyring] $hashicorp_apt $codename main"

consul_pkg=consul
[ -z "${CONSUL_VERSION:-}" ] || consul_pkg="consul=$CONSUL_VERSION"
if [ "$CHANGED" -eq 1 ] || ! command -v consul >/dev/null || ! command -v consul-template >/dev/null \
  || { [ -n "${CONSUL_VERSION:-}" ] && [ "$(dpkg-query -W -f '${Version}' consul)" != "$CONSUL_VERSION" ]; }; then
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$consul_pkg" consul-template jq rsync >/dev/null
fi
CHANGED=0
log "$(consul version | head -1), $(consul-template -v 2>&1 | head -1)"

# The agent and the sample app, published on the host (vagrant/host/publish.sh).
for part in agent webapp; do
  [ -d "$LAB/publish/$part" ] || die "$LAB/publish/$part is missing: run vagrant/host/publish.sh on the host, then 'vagrant rsync $NODE_NAME'"
  install -d -m 0755 "/opt/discovery/$part"
  rsync -a --delete "$LAB/publish/$part/" "/opt/discovery/$part/"
done
ln -sfn /opt/discovery/agent/agent /usr/local/bin/agent

# One unprivileged account for the node agent, its app instances and the scaler.
if ! id discovery >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/discovery --create-home --shell /usr/sbin/nologin discovery
fi
install -d -m 0755 "$ETC"

# `vagrant ssh <vm> -c 'agent …'` runs a login shell: give it the local Consul agent and the
# operator token, so `agent status` / `agent scale` / `consul members` just work.
install_token operator root:vagrant
put_file /etc/profile.d/discovery.sh 0644 root:root <<'PROFILE'
export CONSUL_HTTP_ADDR=http://127.0.0.1:8500
if [ -r /etc/discovery/tokens/operator.token ]; then
  CONSUL_HTTP_TOKEN="$(cat /etc/discovery/tokens/operator.token)"
  export CONSUL_HTTP_TOKEN
fi
PROFILE
log "base ready"

#!/usr/bin/env bash
# Every VM: OS packages, Consul, the published agent + sample apps, the operator's environment.
# Safe to re-run.
#
# Where Consul comes from (vagrant/README.md "Consul packages"):
#   default    Debian's consul 1.8.7 from the bullseye suite, fetched with apt from the mirror this
#              VM's own apt sources name, into a private apt state dir (the VM's apt config is
#              not touched), verified against the signed index, and only the binary unpacked to
#              /usr/local/bin/consul. No consul-template: lb1 renders with `agent render`.
#   HASHICORP_APT_URL set (the Vagrantfile passes the host's DISCOVERY_HASHICORP_APT_URL)
#              current consul + consul-template from that apt repository, signed with the key at
#              HASHICORP_APT_KEY_URL (default: <url>/gpg); lb1 renders with consul-template.
# No repository host is written in this repository: the user supplies the URL.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME

export DEBIAN_FRONTEND=noninteractive
hashicorp_url="${HASHICORP_APT_URL:-}"
hashicorp_url="${hashicorp_url%/}"
hashicorp_key_url="${HASHICORP_APT_KEY_URL:-}"
[ -n "$hashicorp_key_url" ] || [ -z "$hashicorp_url" ] || hashicorp_key_url="$hashicorp_url/gpg"
keyring=/usr/share/keyrings/discovery-hashicorp.gpg
repo_list=/etc/apt/sources.list.d/discovery-hashicorp.list

apt_updated=0
apt_install() {
  if [ "$apt_updated" -eq 0 ]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

needed=()
for tool in curl:curl gpg:gnupg jq:jq rsync:rsync dpkg-deb:dpkg; do
  command -v "${tool%%:*}" >/dev/null || needed+=("${tool#*:}")
done
[ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || needed+=(debian-archive-keyring)
[ -d /etc/ssl/certs ] || needed+=(ca-certificates)
[ ${#needed[@]} -eq 0 ] || apt_install "${needed[@]}"

# Debian's consul 1.8.7 (bullseye), binary only, to /usr/local/bin/consul. Same procedure as
# scripts/setup on the host, so both labs run the same Consul build by default.
install_debian_consul() {
  local mirror keyring_debian=/usr/share/keyrings/debian-archive-keyring.gpg work deb want have
  # The mirror this VM's own apt sources name (the same lookup as on the host).
  mirror="$("$REPO/scripts/debian-mirror")" || die "no Debian mirror in /etc/apt/sources.list{,.d} to fetch consul from"
  work="$(mktemp -d /var/tmp/discovery-consul-apt.XXXXXX)"
  mkdir -p "$work/state/lists/partial" "$work/cache/archives/partial" "$work/etc/sources.list.d" \
    "$work/etc/preferences.d" "$work/deb"
  echo "deb [signed-by=$keyring_debian] $mirror bullseye main" >"$work/etc/sources.list"
  local apt_opts=(-o "Dir::State=$work/state" -o "Dir::Cache=$work/cache"
    -o "Dir::Etc::SourceList=$work/etc/sources.list" -o "Dir::Etc::SourceParts=$work/etc/sources.list.d"
    -o "Dir::Etc::PreferencesParts=$work/etc/preferences.d" -o "Debug::NoLocking=1"
    -o "APT::Sandbox::User=root")
  log "fetching Debian's consul (bullseye) from $mirror"
  apt-get "${apt_opts[@]}" update -qq >"$work/apt.log" 2>&1 || die "apt update of the bullseye index failed: $(tail -3 "$work/apt.log")"
  (cd "$work/deb" && apt-get "${apt_opts[@]}" download consul >>"$work/apt.log" 2>&1) \
    || die "apt-get download consul failed: $(tail -3 "$work/apt.log")"
  deb="$(find "$work/deb" -name 'consul_*.deb' | head -1)"
  [ -n "$deb" ] || die "apt-get download produced no consul .deb"
  # apt checked the SHA256 against the signed index already; check once more, explicitly.
  want="$(apt-cache "${apt_opts[@]}" show consul | awk '/^SHA256:/ {print $2; exit}')"
  have="$(sha256sum "$deb" | cut -d' ' -f1)"
  if [ -z "$want" ] || [ "$want" != "$have" ]; then die "consul .deb checksum mismatch ($have, index says $want)"; fi
  dpkg-deb -x "$deb" "$work/x"
  install -m 0755 "$work/x/usr/bin/consul" /usr/local/bin/consul
  rm -rf "$work"
  log "installed Debian's consul (sha256 $have) at /usr/local/bin/consul"
}

# Current consul + consul-template from the user-supplied HashiCorp apt repository.
install_hashicorp_packages() {
  local codename consul_pkg=consul
  if [ ! -s "$keyring" ]; then
    log "adding the HashiCorp apt repository from DISCOVERY_HASHICORP_APT_URL"
    curl -fsSL "$hashicorp_key_url" | gpg --dearmor --yes -o "$keyring"
  fi
  # shellcheck source=/dev/null
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  put_file "$repo_list" 0644 root:root <<<"deb [signed-by=$keyring] $hashicorp_url $codename main"
  [ -z "${CONSUL_VERSION:-}" ] || consul_pkg="consul=$CONSUL_VERSION"
  if [ "$CHANGED" -eq 1 ] || ! [ -x /usr/bin/consul ] || ! command -v consul-template >/dev/null \
    || { [ -n "${CONSUL_VERSION:-}" ] && [ "$(dpkg-query -W -f '${Version}' consul)" != "$CONSUL_VERSION" ]; }; then
    apt_updated=0
    apt_install "$consul_pkg" consul-template
  fi
  CHANGED=0
  # One path for the unit (consul.service) whichever source installed it.
  ln -sfn /usr/bin/consul /usr/local/bin/consul
}

if [ -n "$hashicorp_url" ]; then
  install_hashicorp_packages
else
  # Switching back from the HashiCorp repository: stop using it (the packages may stay).
  if [ -f "$repo_list" ]; then rm -f "$repo_list"; log "removed $repo_list (DISCOVERY_HASHICORP_APT_URL is not set)"; fi
  if [ -L /usr/local/bin/consul ]; then rm -f /usr/local/bin/consul; fi
  [ -x /usr/local/bin/consul ] || install_debian_consul
fi
/usr/local/bin/consul version >/dev/null || die "/usr/local/bin/consul does not run"
# The Debian binary comes without the package's account; the HashiCorp package creates it.
if ! id consul >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/consul --no-create-home --shell /usr/sbin/nologin consul
fi
renderer=agent
if [ -n "$hashicorp_url" ] && command -v consul-template >/dev/null; then renderer=consul-template; fi
log "$(/usr/local/bin/consul version | head -1); load balancer renderer: $renderer"

# The agent and the sample apps, published on the host (vagrant/host/publish.sh). PUBLISHED_PARTS
# (from the Vagrantfile) names what this machine runs: the apps (~110 MB each) only go where a node
# agent runs them, which keeps the parallel boot's disk copying down.
for part in ${PUBLISHED_PARTS:-agent webapp todoapp}; do
  [ -d "$LAB/publish/$part" ] || die "$LAB/publish/$part is missing: run vagrant/host/publish.sh on the host, then 'vagrant rsync $NODE_NAME'"
  install -d -m 0755 "/opt/discovery/$part"
  rsync -a --delete "$LAB/publish/$part/" "/opt/discovery/$part/"
done
ln -sfn /opt/discovery/agent/agent /usr/local/bin/agent

# The scaler's unprivileged account (the node agent runs as root, its apps as discovery-app).
if ! id discovery >/dev/null 2>&1; then
  useradd --system --home-dir /var/lib/discovery --create-home --shell /usr/sbin/nologin discovery
fi
install -d -m 0755 "$ETC"

# `vagrant ssh <vm> -c 'agent …'` runs a login shell: give it the local Consul agent and the
# operator token, so `agent status` / `agent scale` / `consul members` just work.
install_token operator vagrant:vagrant # read by the vagrant user's login shell (below)
put_file /etc/profile.d/discovery.sh 0644 root:root <<'PROFILE'
export CONSUL_HTTP_ADDR=https://127.0.0.1:8501
export CONSUL_CACERT=/etc/discovery/tls/ca.pem
if [ -r /etc/discovery/tokens/operator.token ]; then
  CONSUL_HTTP_TOKEN="$(cat /etc/discovery/tokens/operator.token)"
  export CONSUL_HTTP_TOKEN
fi
PROFILE
log "base ready"

#!/usr/bin/env bash
# Helpers sourced by every provisioning script. Provisioning must be safe to re-run
# (`vagrant provision`): files are rewritten only when their content changes, and a service is
# restarted only when one of its files changed.
set -euo pipefail

# Where the synced folders land in every VM (see Vagrantfile).
# Overridable so the repository's tests can run these scripts against a local Consul.
readonly REPO="${DISCOVERY_REPO:-/vagrant}"
readonly LAB="${DISCOVERY_LAB:-/discovery-lab}"
readonly ETC=/etc/discovery

log() { printf '[%s] %s\n' "${NODE_NAME:-vm}" "$*"; }
die() { printf '[%s] FAILED: %s\n' "${NODE_NAME:-vm}" "$*" >&2; exit 1; }

require_env() {
  local name
  for name in "$@"; do
    [ -n "${!name:-}" ] || die "environment variable $name is not set (the Vagrantfile passes it)"
  done
}

# put_file DEST MODE OWNER:GROUP < content
# Writes DEST atomically when its content differs; sets CHANGED=1 when it did.
CHANGED=0
put_file() {
  local dest="$1" mode="$2" owner="$3" tmp
  tmp="$(mktemp "$(dirname "$dest")/.put.XXXXXX")"
  cat >"$tmp"
  if [ -f "$dest" ] && cmp -s "$tmp" "$dest"; then
    rm -f "$tmp"
    chmod "$mode" "$dest"
    chown "$owner" "$dest"
    return 0
  fi
  chmod "$mode" "$tmp"
  chown "$owner" "$tmp"
  mv -f "$tmp" "$dest"
  CHANGED=1
  log "wrote $dest"
}

# copy_file SRC DEST MODE OWNER:GROUP
copy_file() {
  [ -f "$1" ] || die "missing $1"
  put_file "$2" "$3" "$4" <"$1"
}

# install_unit NAME: copies vagrant/systemd/NAME into /etc/systemd/system.
install_unit() {
  copy_file "$REPO/vagrant/systemd/$1" "/etc/systemd/system/$1" 0644 root:root
}

# apply_service NAME: enables NAME and restarts it when CHANGED=1, else makes sure it runs.
apply_service() {
  systemctl daemon-reload
  systemctl enable --quiet "$1"
  if [ "$CHANGED" -eq 1 ]; then
    log "restarting $1"
    systemctl restart "$1"
  else
    systemctl start "$1"
  fi
  CHANGED=0
}

# token_secret NAME: the SecretID the Vagrantfile generated for token NAME.
token_secret() {
  local file="$LAB/secrets/tokens/$1.secret"
  [ -s "$file" ] || die "missing $file (the Vagrantfile generates it; run 'vagrant rsync')"
  tr -d '[:space:]' <"$file"
}

# install_token NAME OWNER:GROUP: /etc/discovery/tokens/NAME.token, 0600, owned by the one
# service user that reads it (no group access: apps run as a user of their own).
install_token() {
  local secret
  secret="$(token_secret "$1")"
  install -d -m 0755 "$ETC/tokens"
  put_file "$ETC/tokens/$1.token" 0600 "$2" <<<"$secret"
}

# install_postgres_secret NAME OWNER:GROUP: /etc/discovery/postgres/NAME.password (generated on
# the host by the Vagrantfile), 0600, readable by OWNER only (node-agent.sh says who).
install_postgres_secret() {
  local file="$LAB/secrets/postgres/$1.password"
  [ -s "$file" ] || die "missing $file (the Vagrantfile generates it; run 'vagrant rsync')"
  install -d -m 0755 -o root -g root "$ETC/postgres"
  put_file "$ETC/postgres/$1.password" 0600 "$2" <"$file"
}

# record_binaries SERVICE: sets CHANGED=1 when /opt/discovery differs from what SERVICE last ran.
record_binaries() {
  local digest
  digest="$(cd /opt/discovery && find . -type f -print0 | sort -z | xargs -0 sha256sum | sha256sum)"
  install -d -m 0755 /var/lib/discovery/provisioned
  put_file "/var/lib/discovery/provisioned/$1.sha256" 0644 root:root <<<"$digest"
}

# wait_for_http URL SECONDS: true once URL answers 2xx.
wait_for_http() {
  local url="$1" deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null --max-time 2 "$url"; do
    [ "$SECONDS" -lt "$deadline" ] || return 1
    sleep 2
  done
}

#!/usr/bin/env bash
# pg*: Debian's postgresql-15 for the node agent's Postgres member (node-agent.sh runs next with
# NODE_CONFIG=pg-node.yaml). Only the binaries are used: Debian's own cluster (15/main on :5432)
# is never created, the node agent runs initdb / pg_basebackup itself, as the discovery user,
# into /var/lib/discovery/postgres/data. Safe to re-run.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME

bin=/usr/lib/postgresql/15/bin
if [ ! -x "$bin/postgres" ]; then
  # postgresql-common reads this before it installs: no default cluster, no server running
  # beside the member on its port.
  install -d -m 0755 /etc/postgresql-common
  put_file /etc/postgresql-common/createcluster.conf 0644 root:root <<<"create_main_cluster = false"
  log "installing postgresql-15 (binaries only)"
  # Eight machines fetch from the same mirror at once during `vagrant up`: a refused or cut
  # download is retried (5 tries, 5/10/15/20 s apart) instead of failing the whole boot.
  for try in 1 2 3 4 5; do
    if apt-get update -qq >/tmp/discovery-postgres-apt.log 2>&1 \
      && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql-15 >>/tmp/discovery-postgres-apt.log 2>&1; then
      break
    fi
    [ "$try" -lt 5 ] || die "installing postgresql-15 failed 5 times: $(tail -3 /tmp/discovery-postgres-apt.log)"
    log "installing postgresql-15 failed (try $try of 5), retrying in $((try * 5)) s: $(tail -1 /tmp/discovery-postgres-apt.log)"
    sleep $((try * 5))
  done
fi
"$bin/postgres" --version >/dev/null || die "$bin/postgres does not run"
# Debian's unit for its own clusters has none to start; keep it from trying at boot.
systemctl disable --quiet --now postgresql.service 2>/dev/null || true

# The data directory's parent (the member's preflight wants it to exist: a mistyped path must not
# get a fresh, empty database); the member creates data/ itself, 0700.
install -d -m 0750 -o discovery -g discovery /var/lib/discovery/postgres
CHANGED=0
log "postgres ready: $("$bin/postgres" --version)"

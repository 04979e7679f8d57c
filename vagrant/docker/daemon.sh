#!/usr/bin/env bash
# A docker daemon for the VM lab's docker provider (runs on the HOST).
#
#   eval "$(vagrant/docker/daemon.sh start)"   reuse a reachable daemon, or start a private one;
#                                              prints the DOCKER_HOST export for the private one
#                                              (and a "# started" line when it started it)
#   vagrant/docker/daemon.sh stop              stop the private daemon (by pid), if it runs
#   vagrant/docker/daemon.sh status            say which daemon `start` would use
#
# "Reachable" = $DOCKER_HOST, or the default socket, answers `docker info`. Otherwise a private
# dockerd starts with everything of its own under .tools/docker/ (data root, exec root, socket,
# pidfile, log), so it collides with no system daemon: storage driver vfs (works on any
# filesystem, no kernel overlay support needed), iptables left on (the containers reach the
# Debian mirror through its NAT). Its images stay in .tools/docker/data, so the base image
# survives a stop. `stop` ends only the daemon this script started, found by its pidfile and
# checked against /proc; the daemon stops the containerd it started itself.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
state="${DISCOVERY_DOCKER_DIR:-$root/.tools/docker}"
socket="$state/docker.sock"
pidfile="$state/dockerd.pid"
created_bridge="$state/created-docker0"
private_host="unix://$socket"

say() { printf 'docker daemon: %s\n' "$*" >&2; }
fail() { printf 'docker daemon: FAILED: %s\n' "$*" >&2; exit 1; }

answers() { # DOCKER_HOST value ("" = the client's default)
  if [ -n "$1" ]; then DOCKER_HOST="$1" timeout 10 docker info >/dev/null 2>&1; else
    env -u DOCKER_HOST timeout 10 docker info >/dev/null 2>&1; fi
}

# The pid of the private dockerd when it runs (pidfile + /proc agree), else nothing.
private_pid() {
  local pid
  [ -s "$pidfile" ] || return 0
  pid="$(tr -d '[:space:]' <"$pidfile")"
  [ -r "/proc/$pid/cmdline" ] || return 0
  if tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q -- "--pidfile $pidfile"; then echo "$pid"; fi
}

start() {
  command -v docker >/dev/null || fail "the docker CLI is not installed (Debian: docker.io)"
  if [ -n "$(private_pid)" ] && answers "$private_host"; then
    say "reusing the private daemon (pid $(private_pid), $private_host)"
    echo "export DOCKER_HOST=$private_host"
    return
  fi
  if [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then
    say "reusing the daemon at DOCKER_HOST=$DOCKER_HOST"
    return
  fi
  if [ -z "${DOCKER_HOST:-}" ] && answers ""; then
    say "reusing the docker daemon at the default socket"
    return
  fi
  command -v dockerd >/dev/null || fail "no docker daemon answers and dockerd is not installed (Debian: docker.io)"
  [ "$(id -u)" -eq 0 ] || fail "no docker daemon answers; starting a private one needs root (or start your own and set DOCKER_HOST)"

  mkdir -p "$state/data" "$state/exec"
  rm -f "$socket" "$pidfile"
  if ! ip link show docker0 >/dev/null 2>&1; then touch "$created_bridge"; fi
  say "starting a private dockerd (data $state/data, socket $socket, log $state/dockerd.log)"
  # setsid: its own session, so a Ctrl-C meant for the caller does not reach it; `stop` ends it.
  setsid dockerd \
    --data-root "$state/data" --exec-root "$state/exec" --pidfile "$pidfile" \
    -H "$private_host" --storage-driver vfs --iptables=true \
    >"$state/dockerd.log" 2>&1 </dev/null &
  local deadline=$((SECONDS + 60))
  until answers "$private_host"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      stop >/dev/null 2>&1 || true
      fail "the private dockerd did not answer within 60 s: $(tail -3 "$state/dockerd.log")"
    fi
    sleep 1
  done
  say "private dockerd ready (pid $(private_pid))"
  echo "# started: a private dockerd (stop it with vagrant/docker/daemon.sh stop)"
  echo "export DOCKER_HOST=$private_host"
}

stop() {
  local pid deadline
  pid="$(private_pid)"
  if [ -z "$pid" ]; then
    say "no private daemon runs"
  else
    say "stopping the private dockerd (pid $pid)"
    kill -TERM "$pid"
    deadline=$((SECONDS + 60))
    while [ -d "/proc/$pid" ]; do
      if [ "$SECONDS" -ge "$deadline" ]; then
        say "dockerd $pid ignored SIGTERM for 60 s: SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        break
      fi
      sleep 0.5
    done
    rm -f "$pidfile" "$socket"
  fi
  # The default bridge outlives the daemon; remove it only when this script's daemon created it.
  if [ -f "$created_bridge" ] && [ -z "$(private_pid)" ]; then
    ip link delete docker0 2>/dev/null || true
    rm -f "$created_bridge"
  fi
}

status() {
  if [ -n "$(private_pid)" ]; then say "private daemon runs (pid $(private_pid), $private_host)"
  elif [ -n "${DOCKER_HOST:-}" ] && answers "$DOCKER_HOST"; then say "DOCKER_HOST=$DOCKER_HOST answers"
  elif answers ""; then say "the default socket answers"
  else say "no daemon answers; 'start' would start a private one"; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) fail "usage: $0 start|stop|status" ;;
esac

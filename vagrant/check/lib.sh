#!/usr/bin/env bash
# Helpers for the VM-lab check's steps (sourced by scripts/vm-lab-check, which sets $root, $state,
# $ui, $lb and the DISCOVERY_*/VAGRANT_* environment). Everything here runs on the HOST and talks
# to the lab the way a user does: vagrant ssh, the forwarded Consul UI/API port, lb1's port.
# The driver sets root, state, ui, lb and reads STEP_DETAIL:
# shellcheck disable=SC2034,SC2154

# note TEXT: the step's one-line result (printed after its timing).
note() { STEP_DETAIL="$*"; echo "note: $*"; }

# fail TEXT: note why, and fail the step.
fail() { note "$*"; return 1; }

# vm NAME COMMAND: runs COMMAND in a login shell on machine NAME (operator token and Consul
# address come from /etc/profile.d/discovery.sh, as for a user). Output to stdout.
vm() {
  local machine="$1"
  shift
  timeout 300 vagrant ssh "$machine" -c "$*" -- -o LogLevel=error </dev/null 2>>"$STEP_LOG.stderr"
}

# stamped COMMAND...: runs COMMAND with each output line prefixed by the seconds since the check
# started (the step logs then show where a slow step spends its time); COMMAND's exit status.
stamped() {
  "$@" 2>&1 | while IFS= read -r line; do printf '[%4d s] %s\n' "$((SECONDS - started))" "$line"; done
  return "${PIPESTATUS[0]}"
}

# operator_token: the lab's operator token (generated on the host by the Vagrantfile).
operator_token() { tr -d '[:space:]' <"$DISCOVERY_LAB_DIR/secrets/tokens/operator.secret"; }

# lab_ca: the lab's Consul CA certificate (made on the host by the Vagrantfile).
lab_ca() { echo "$DISCOVERY_LAB_DIR/secrets/tls/consul-agent-ca.pem"; }

# consul_api PATH: GET consul1's HTTPS API through the forwarded UI port, with the operator token
# (in a header read from a file descriptor: no secret on curl's command line).
consul_api() {
  curl -fsS --max-time 10 --cacert "$(lab_ca)" --header @<(printf 'X-Consul-Token: %s\n' "$(operator_token)") "$ui$1"
}

# wait_for SECONDS DESCRIPTION COMMAND...: runs COMMAND every 2 s until it succeeds.
wait_for() {
  local seconds="$1" what="$2" deadline
  shift 2
  deadline=$((SECONDS + seconds))
  until "$@"; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      echo "timed out after ${seconds}s waiting for: $what"
      return 1
    fi
    sleep 2
  done
}

# web_status: `agent status --json --app web` as the operator runs it on web1.
web_status() { vm web1 'agent status --json --app web'; }

# routed_ids LB: instance IDs in discovery/lb/LB/routed (what that nginx routes now), one a line.
routed_ids() {
  consul_api "/v1/kv/discovery/lb/$1/routed?raw" | jq -r '.instances[]?'
}

# passing_instances: "ID NODE" of every passing web instance, one a line.
passing_instances() {
  consul_api "/v1/health/service/web?passing" | jq -r '.[] | "\(.Service.ID) \(.Node.Node)"'
}

# spread_is COUNT NODE...: COUNT web instances pass, each of them is routed by lb1, and they run
# on exactly the NODEs given (each at least once). (lb1 routes the todo app too: its IDs are left out.)
spread_is() {
  local want="$1" instances routed nodes
  shift
  instances="$(passing_instances)" || return 1
  routed="$(routed_ids lb1)" || return 1
  routed="$(grep '^web-' <<<"$routed")"
  [ "$(grep -c . <<<"$instances")" -eq "$want" ] || return 1
  [ "$(grep -c . <<<"$routed")" -eq "$want" ] || return 1
  while read -r id _; do grep -qx "$id" <<<"$routed" || return 1; done <<<"$instances"
  nodes="$(awk '{print $2}' <<<"$instances" | sort -u | xargs)"
  [ "$nodes" = "$*" ]
}

# leader: "NODE TOKEN" of the web scaler's lock holder (session's node, LockIndex = fencing token).
leader() {
  local key session
  key="$(consul_api /v1/kv/discovery/apps/web/leader)" || return 1
  session="$(jq -r '.[0].Session // empty' <<<"$key")"
  [ -n "$session" ] || return 1
  printf '%s %s\n' "$(consul_api "/v1/session/info/$session" | jq -r '.[0].Node')" "$(jq -r '.[0].LockIndex' <<<"$key")"
}

# leader_is NODE: the web scaler's lock is held by NODE's scaler.
leader_is() { [ "$(leader | cut -d' ' -f1)" = "$1" ]; }

# status_routed_is COUNT: `agent status` on web1 counts COUNT web instances as routed.
status_routed_is() { [ "$(web_status | jq -r '.apps[0].routed')" = "$1" ]; }

# wrk_failures OUTPUT_FILE: failed requests in a wrk report (socket errors + non-2xx/3xx).
wrk_failures() {
  awk '/Socket errors:/ {gsub(",", ""); n += $4 + $6 + $8 + $10}
       /Non-2xx or 3xx responses:/ {n += $5}
       END {print n + 0}' "$1"
}

# wrk_requests OUTPUT_FILE: requests wrk completed.
wrk_requests() { awk '/requests in/ {print $1; exit}' "$1"; }

# todo_post TITLE: POST /todos through lb1 with host todo.lab (nginx routes it to the todo app);
# prints the HTTP status, the body goes to $STEP_LOG.body. Never retries; 5 s at most.
todo_post() {
  curl -s --max-time 5 -o "$STEP_LOG.body" -w '%{http_code}' -H 'Host: todo.lab' -H 'Content-Type: application/json' \
    -d "{\"title\":\"$1\"}" "$lb/todos"
}

# todo_written: a todo is created through lb1 (201).
todo_written() { [ "$(todo_post "check $(date +%s)")" = 201 ]; }

# pg_primary: the node the Postgres cluster state names primary, and its generation ("pg1 1").
pg_primary() { consul_api "/v1/kv/discovery/pg/pg/state?raw" | jq -r '"\(.primary) \(.generation)"'; }

# pg_member_is NODE STATE: NODE's pg member is registered with STATE (primary/replica) and passing.
pg_member_is() {
  consul_api "/v1/health/service/pg?passing" | jq -e --arg node "$1" --arg state "$2" \
    'any(.[]; .Service.Meta.node == $node and .Service.Meta.state == $state)' >/dev/null
}

# lab_containers: this checkout's lab containers on the daemon (any state), one ID a line.
lab_containers() { docker ps -aq --filter "label=discovery.vm-lab=$root"; }

# lab_network: the docker network the Vagrantfile's private network becomes, if it exists.
lab_network() {
  docker network ls --format '{{.Name}}' | grep -x "vagrant_network_${DISCOVERY_SUBNET:-192.168.56}.0/24"
}

# boot_diagnostics: after a failed `vagrant up`, what a reader of CI's log needs to see why: the
# lines of the provisioning output that name an error, then for every lab container its failed
# units, the last lines of its Consul log and whether it reaches consul1 on the lab network.
boot_diagnostics() {
  local container name
  echo "--- diagnostics: provisioning errors"
  grep -E "(error|Error|ERROR|failed|FAILED|E: )" "$STEP_LOG" | grep -v "Please handle this error\|An error occurred\|Any errors that" | tail -15
  echo "--- diagnostics: host"
  ip -br addr | grep -E "docker|br-" || true
  for container in $(lab_containers 2>/dev/null); do
    name="$(docker inspect -f '{{.Name}}' "$container" 2>/dev/null)"
    echo "--- diagnostics: ${name#/}"
    docker exec "$container" bash -c '
      systemctl --failed --no-legend --plain 2>/dev/null | head -5
      ip -br addr | grep -v "^lo"
      timeout 3 bash -c "</dev/tcp/${1}.11/8301" 2>/dev/null && echo "consul1:8301 reachable" || echo "consul1:8301 NOT reachable"
      journalctl -u consul --no-pager -n 6 -o cat 2>/dev/null | cut -c1-220' _ "${DISCOVERY_SUBNET:-192.168.56}" 2>&1
  done
}

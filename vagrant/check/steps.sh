#!/usr/bin/env bash
# The VM-lab check's steps (sourced by scripts/vm-lab-check; helpers in vagrant/check/lib.sh).
#
# Adding a step: write step_<name> below (log freely to stdout/stderr: it goes to the step's log;
# `note` sets the one-line result; return non-zero to fail), then add <name> to FULL_STEPS (and to
# SHORT_STEPS if CI should run it). Steps run in list order against one lab; a step that changes
# the lab (halts a machine) goes after the steps that need what it removes. `destroy` always runs
# last, whatever happened before.
# The driver (scripts/vm-lab-check) sets root, state, ui, lb and reads the step lists:
# shellcheck disable=SC2034,SC2154

# Steps the rest cannot run without: when one fails, the others are reported as not run.
PREREQUISITE_STEPS=(docker_daemon base_image boot)
FULL_STEPS=(docker_daemon base_image boot consul_ui consul_members trust app_via_lb scale_to_4 drain_web2 deploy pg_failover halt_web2 halt_lb1)
SHORT_STEPS=(docker_daemon base_image boot consul_members trust scale_to_4)

daemon_started_here=0

# A reachable docker daemon, or a private one that `destroy` stops again.
step_docker_daemon() {
  local exports
  exports="$("$root/vagrant/docker/daemon.sh" start)" || return 1
  eval "$exports"
  if grep -q "^# started" <<<"$exports"; then daemon_started_here=1; fi
  [ -z "$(lab_containers)" ] || fail "this checkout already has lab containers on that daemon (a lab is running?)" || return 1
  ! lab_network >/dev/null || fail "docker network $(lab_network) exists already (another lab?)" || return 1
  if [ "$daemon_started_here" -eq 1 ]; then note "private dockerd started (${DOCKER_HOST})"
  else note "reusing ${DOCKER_HOST:-the default docker socket}"; fi
}

# The base image (debootstrap + docker import), unless cached.
step_base_image() {
  local tag
  tag="$("$root/vagrant/docker/build-image.sh")" || return 1
  note "$tag ($(docker image inspect -f '{{.Size}}' "$tag" | awk '{printf "%d MB", $1 / 1e6}'))"
}

# The whole lab: publish on the host, 8 containers, every provisioner.
step_boot() {
  if ! stamped vagrant up --provider=docker; then
    boot_diagnostics
    fail "vagrant up failed (diagnostics above)" || return 1
  fi
  local machines
  machines="$(vagrant status --machine-readable | awk -F, '$3 == "state" && $4 == "running" {print $2}' | xargs)"
  [ "$machines" = "consul1 consul2 consul3 lb1 pg1 pg2 web1 web2" ] || fail "running: $machines" || return 1
  note "8 machines running and provisioned (consul1..3, lb1, pg1, pg2, web1, web2)"
}

# Consul UI answers on the forwarded port; KV needs the operator token.
step_consul_ui() {
  local anonymous keys
  curl -fsS --max-time 10 --cacert "$(lab_ca)" -o /dev/null "$ui/ui/" || fail "no Consul UI at $ui/ui/ (HTTPS, the lab's CA)" || return 1
  # Default-deny ACLs: Consul answers an anonymous listing with 403, or with 404 when it filtered
  # every key out (Consul 1.8); either way no key is shown.
  anonymous="$(curl -s --max-time 10 --cacert "$(lab_ca)" -o /dev/null -w '%{http_code}' "$ui/v1/kv/discovery/?keys")"
  [ "$anonymous" = 403 ] || [ "$anonymous" = 404 ] || fail "anonymous KV listing answered $anonymous" || return 1
  keys="$(consul_api "/v1/kv/discovery/?keys" | jq length)" || fail "operator token cannot list KV" || return 1
  [ "$keys" -gt 0 ] || fail "operator token sees no discovery/ keys" || return 1
  note "UI at $ui/ui/; KV: anonymous gets $anonymous (nothing), operator token sees $keys keys"
}

# consul members (as the operator runs it on a server): 3 servers, 5 clients, all alive.
step_consul_members() {
  local members servers clients
  members="$(vm consul1 'consul members')" || fail "consul members failed" || return 1
  echo "$members"
  servers="$(awk '$3 == "alive" && $4 == "server"' <<<"$members" | wc -l)"
  clients="$(awk '$3 == "alive" && $4 == "client"' <<<"$members" | wc -l)"
  [ "$servers" -eq 3 ] && [ "$clients" -eq 5 ] || fail "alive: $servers servers, $clients clients" || return 1
  note "3 servers + 5 clients alive"
}

# Issue 12 on the running lab: Consul's API is TLS-only on the network (plaintext HTTP to 8500 is
# refused, HTTPS with the lab's CA works), the apps run as discovery-app with no Consul variable in
# their environment and cannot read the node agent's token, and a client VM holds only its own secrets.
step_trust() {
  local consul1 plaintext https users environ token_files
  consul1="${DISCOVERY_SUBNET:-192.168.56}.11"
  plaintext="$(vm web1 "curl -sS --max-time 5 -o /dev/null http://$consul1:8500/v1/status/leader 2>&1; echo \"exit=\$?\"" | tail -1)"
  [ "$plaintext" = "exit=7" ] || fail "plaintext HTTP to $consul1:8500 from web1: $plaintext (want connection refused, exit=7)" || return 1
  https="$(vm web1 "curl -fsS --max-time 5 --cacert /etc/discovery/tls/ca.pem https://$consul1:8501/v1/status/leader")" \
    || fail "HTTPS to $consul1:8501 with the lab's CA failed" || return 1
  [ "$(curl -s --max-time 5 -o /dev/null -w '%{http_code}' "http://127.0.0.1:$DISCOVERY_UI_PORT/v1/status/leader")" != 200 ] \
    || fail "consul1's forwarded port answered plaintext HTTP" || return 1
  # Commands for the VM, expanded there ("[/]" keeps pgrep from matching the shell running it).
  # shellcheck disable=SC2016
  users="$(vm web1 'ps -o user:32= -p "$(pgrep -d, -f "[/]opt/discovery/(webapp/Discovery.WebApp|todoapp/Discovery.TodoApp)")" | sort -u | xargs')"
  [ "$users" = "discovery-app" ] || fail "web1's app instances run as '$users', not discovery-app" || return 1
  # shellcheck disable=SC2016
  environ="$(vm web1 'for pid in $(pgrep -f "[/]opt/discovery/(webapp/Discovery.WebApp|todoapp/Discovery.TodoApp)"); do sudo cat /proc/$pid/environ | tr "\0" "\n"; done | grep -c "^CONSUL_" || true')"
  [ "$environ" = 0 ] || fail "an app instance on web1 has $environ CONSUL_* variables" || return 1
  vm web1 'sudo -u discovery-app cat /etc/discovery/tokens/node-agent-web1.token' >/dev/null 2>&1 \
    && { fail "discovery-app can read the node agent's token"; return 1; }
  token_files="$(vm web2 'ls /discovery-lab/secrets/tokens | xargs')"
  [ "$token_files" = "consul-agent-web2.secret node-agent-web2.secret operator.secret todo-app.secret" ] \
    || fail "web2 received tokens: $token_files" || return 1
  note "plaintext HTTP to consul1:8500 refused, HTTPS verified ($https); apps run as discovery-app without CONSUL_*; web2 holds only its own tokens"
}

# The sample app answers through lb1's forwarded port.
step_app_via_lb() {
  local body
  body="$(curl -fsS --max-time 10 "$lb/")" || fail "no answer from $lb/" || return 1
  echo "$body"
  grep -q "web" <<<"$body" || fail "unexpected answer: $body" || return 1
  note "$lb/ answered: $(head -c 80 <<<"$body" | tr '\n' ' ')"
}

# agent scale web --to 4 --wait on web1 → 4 instances, all routed by lb1, over web1 and web2.
step_scale_to_4() {
  vm web1 'agent scale web --to 4 --wait' || fail "agent scale --wait failed" || return 1
  wait_for 30 "4 routed over web1+web2" spread_is 4 web1 web2 || fail "not 4 routed over web1 and web2: $(passing_instances | xargs)" || return 1
  local routed
  routed="$(web_status | jq -r '.apps[0].routed')"
  [ "$routed" = 4 ] || fail "agent status says routed $routed" || return 1
  note "4 passing, 4 routed by lb1 ($(passing_instances | awk '{print $2}' | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}'))"
}

# systemctl stop discovery-node on web2 drains its instances: a steady wrk load through lb1 sees
# no failed request. Then web2's agent starts again and gets its share back.
step_drain_web2() {
  local report="$state/logs/drain-wrk.txt" on_web2 failures requests
  on_web2="$(passing_instances | awk '$2 == "web2"' | wc -l)"
  [ "$on_web2" -gt 0 ] || fail "web2 runs no instance to drain" || return 1
  # wrk never retries; the Lua script paces each connection (~50 requests/s each).
  wrk -t2 -c4 -d25s --timeout 5s -s "$root/vagrant/check/steady.lua" "$lb/" >"$report" 2>&1 &
  local wrk_pid=$!
  sleep 3
  vm web2 'sudo systemctl stop discovery-node' || { wait "$wrk_pid"; fail "systemctl stop failed"; return 1; }
  wait_for 30 "4 routed on web1 only" spread_is 4 web1
  local moved=$?
  wait "$wrk_pid"
  cat "$report"
  failures="$(wrk_failures "$report")"
  requests="$(wrk_requests "$report")"
  [ "$moved" -eq 0 ] || fail "web2's share did not move to web1: $(passing_instances | xargs)" || return 1
  [ "${requests:-0}" -gt 0 ] || fail "wrk completed no request" || return 1
  [ "$failures" -eq 0 ] || fail "$failures of $requests requests failed during the drain" || return 1
  vm web2 'sudo systemctl start discovery-node' || fail "systemctl start failed" || return 1
  wait_for 60 "web2 back: 4 routed over web1+web2" spread_is 4 web1 web2 || fail "web2 did not get its share back" || return 1
  note "drained $on_web2 instance(s) on web2 under load: $requests requests, 0 failed; web2 back"
}

# agent deploy web --version 1.1.0 --wait on web1 (issue 16): a rolling replacement of the 4
# instances, each new one passing and routed before an old one drains, under a steady wrk load
# through lb1: no failed request, and every passing instance and every answer is 1.1.0.
step_deploy() {
  local report="$state/logs/deploy-wrk.txt" failures requests versions answers
  wrk -t2 -c4 -d60s --timeout 5s -s "$root/vagrant/check/steady.lua" "$lb/" >"$report" 2>&1 &
  local wrk_pid=$!
  sleep 2
  if ! vm web1 'agent deploy web --version 1.1.0 --min-healthy 2s --wait'; then
    kill "$wrk_pid" 2>/dev/null; wait "$wrk_pid"
    fail "agent deploy --wait failed" || return 1
  fi
  kill -INT "$wrk_pid" 2>/dev/null
  wait "$wrk_pid"
  cat "$report"
  failures="$(wrk_failures "$report")"
  requests="$(wrk_requests "$report")"
  [ "${requests:-0}" -gt 0 ] || fail "wrk completed no request" || return 1
  [ "$failures" -eq 0 ] || fail "$failures of $requests requests failed during the deploy" || return 1
  versions="$(consul_api "/v1/health/service/web?passing" | jq -r '[.[].Service.Meta.version] | unique | join(",")')"
  [ "$versions" = 1.1.0 ] || fail "passing instances run versions: $versions" || return 1
  answers="$(for _ in 1 2 3 4 5 6 7 8; do curl -fsS --max-time 5 "$lb/" | jq -r .version; done | sort -u | xargs)"
  [ "$answers" = 1.1.0 ] || fail "lb1 answered versions: $answers" || return 1
  note "rolled web 1.0.0 -> 1.1.0 under load: $requests requests, 0 failed; every instance and answer 1.1.0"
}

# kill -9 of pg1's postmaster (the primary) while todo writes go through lb1 one after another:
# each answers 201, or 503 with a body saying to retry (never a hang); the failover leader promotes
# pg2 and writes succeed again there; pg1's agent rewinds it and it rejoins as a replica.
step_pg_failover() {
  local state code early=0 unavailable=0 other=0 began took
  wait_for 180 "a todo written through lb1" todo_written || fail "no todo write through lb1 succeeded: $(cat "$STEP_LOG.body" 2>/dev/null)" || return 1
  wait_for 60 "pg2 streams as a passing replica" pg_member_is pg2 replica || fail "pg2 is not a passing replica" || return 1
  state="$(pg_primary)"
  [ "$state" = "pg1 1" ] || fail "cluster state before the kill: $state (expected pg1, generation 1)" || return 1
  # shellcheck disable=SC2016 # expanded on pg1, not here
  vm pg1 'sudo kill -9 "$(sudo head -1 /var/lib/discovery/postgres/data/postmaster.pid)"' || fail "kill -9 of pg1's postmaster failed" || return 1
  began="$(date +%s%N)"
  while :; do
    code="$(todo_post "during failover")"
    echo "[$((($(date +%s%N) - began) / 1000000)) ms] $code $(cat "$STEP_LOG.body")"
    if [ "$code" = 201 ] && grep -q '"primary":"pg2"' "$STEP_LOG.body"; then break; fi
    case "$code" in
      201) early=$((early + 1)) ;; # still acknowledged by pg1 (its backends had not seen the kill yet)
      503) grep -q '"retry":true' "$STEP_LOG.body" || other=$((other + 1)); unavailable=$((unavailable + 1)) ;;
      *) other=$((other + 1)) ;;
    esac
    [ $((($(date +%s%N) - began) / 1000000000)) -lt 90 ] || fail "no write succeeded on pg2 within 90 s ($unavailable answered 503, $other other)" || return 1
    sleep 0.2
  done
  took="$(awk -v ns="$(($(date +%s%N) - began))" 'BEGIN {printf "%.1f", ns / 1e9}')"
  [ "$other" -eq 0 ] || fail "$other answers were neither 201 nor a 503 saying to retry" || return 1
  [ "$(pg_primary)" = "pg2 2" ] || fail "cluster state after the failover: $(pg_primary)" || return 1
  wait_for 120 "pg1 rejoins as a passing replica" pg_member_is pg1 replica || fail "pg1 did not rejoin as a replica" || return 1
  note "pg1's postmaster killed: writes through lb1 succeeded on pg2 after $took s ($unavailable answered 503 meanwhile, $early still 201 on pg1); pg1 rejoined as replica"
}

# vagrant halt web2 → its instances leave lb1's upstreams; the scaler places all 4 on web1.
step_halt_web2() {
  stamped vagrant halt web2 || fail "vagrant halt web2 failed" || return 1
  wait_for 60 "4 routed on web1 only" spread_is 4 web1 || fail "after the halt: $(passing_instances | xargs)" || return 1
  local placement count
  placement="$(consul_api "/v1/kv/discovery/apps/web/placement/web1?raw")"
  # A plain count, or per version after a deploy (issue 16): {"1.1.0":4}.
  count="$(jq 'if type == "number" then . else ([.[]] | add) end' <<<"$placement")"
  [ "$count" = 4 ] || fail "placement for web1 is $placement, expected 4 instances" || return 1
  note "web2 halted: 4 instances on web1, all routed"
}

# vagrant halt lb1 → web1's scaler leads with a higher fencing token; `agent status` stops calling
# instances routed (lb1's routed list is stale once its `lb` service is gone).
step_halt_lb1() {
  local before node token after routed
  # Make lb1 the leader first, so the halt is a real hand-over: web1's scaler restarts and
  # releases the lock if it holds it.
  if [ "$(leader | awk '{print $1}')" = web1 ]; then
    vm web1 'sudo systemctl restart discovery-scaler' || return 1
    wait_for 30 "lb1 leads" leader_is lb1 || fail "lb1 never took the lead" || return 1
  fi
  before="$(leader)" || fail "no scaler leads" || return 1
  stamped vagrant halt lb1 || fail "vagrant halt lb1 failed" || return 1
  wait_for 60 "web1 leads" leader_is web1 || fail "leader after the halt: $(leader)" || return 1
  after="$(leader)"
  read -r _ token <<<"$before"
  read -r node _ <<<"$after"
  [ "${after#* }" -gt "$token" ] || fail "fencing token $token -> ${after#* } did not grow" || return 1
  wait_for 30 "agent status: routed 0" status_routed_is 0 \
    || fail "agent status still says routed $(web_status | jq -r '.apps[0].routed') with lb1 gone" || return 1
  note "lb1 halted: $node leads, fencing token $token -> ${after#* }; agent status routed 0"
}

# vagrant destroy -f leaves no container or network of the lab, and the daemon this check started
# is stopped again.
step_destroy() {
  local leftovers=""
  if [ -n "$(lab_containers 2>/dev/null)" ] || [ -d "$VAGRANT_DOTFILE_PATH/machines" ]; then
    stamped vagrant destroy -f || leftovers="vagrant destroy failed; "
  fi
  [ -z "$(lab_containers 2>/dev/null)" ] || leftovers+="containers: $(lab_containers | xargs); "
  ! lab_network >/dev/null 2>&1 || leftovers+="network $(lab_network); "
  if [ "$daemon_started_here" -eq 1 ]; then
    "$root/vagrant/docker/daemon.sh" stop
    [ ! -S "$root/.tools/docker/docker.sock" ] || leftovers+="private dockerd still runs; "
  fi
  [ -z "$leftovers" ] || fail "left behind: $leftovers" || return 1
  note "no container, network or daemon of the lab left"
}

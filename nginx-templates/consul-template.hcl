# consul-template config for the load balancer. consul-template reads it in the VM lab, and
# `agent render --config consul-template.hcl` reads it too (the options below are the subset it
# supports; it names any other). Discovery's own settings (lb name, registration) cannot live here
# — consul-template rejects unknown keys — so a renderer.yaml can import this file with
# `consulTemplateConfig:` and add them.
#
# Consul address and ACL token: deliberately not set here. consul-template reads CONSUL_HTTP_ADDR
# and CONSUL_HTTP_TOKEN from its environment (the systemd unit's EnvironmentFile), so no secret
# lives in this file.
consul {
  retry {
    enabled     = true
    attempts    = 0 # keep trying while Consul is away; the last good file keeps serving meanwhile
    backoff     = "250ms"
    max_backoff = "10s"
  }
}

# Quiescence for the structure (apps added or removed, which reload nginx): a burst of catalog
# changes becomes one render. The peer set below has its own, far shorter wait (a push costs about
# a millisecond and never reloads).
wait {
  min = "250ms"
  max = "1s"
}

# consul-template only writes (and runs the command) when the rendered text differs, and our
# output is sorted, so unrelated catalog changes cause no reload.
log_level = "info"

template {
  source      = "/etc/discovery/nginx-templates/upstreams.ctmpl"
  # consul-template writes before anything validates. So it writes a candidate, and the command
  # below installs it only if nginx accepts the whole config with it, keeping the last good file
  # otherwise.
  destination = "/etc/discovery-lb/upstreams.candidate.conf"
  perms       = 0644

  # A missing map key renders as "" (Go's zero value); our template never relies on that.
  error_on_missing_key = false

  # Install only what nginx accepts: keep the current file as last-good, validate the whole
  # config with the candidate in place, reload on success, restore last-good on failure (and exit
  # non-zero so consul-template logs it). Paths: config in /etc/discovery-lb, prefix
  # /var/lib/discovery-lb (the VM lab's nginx unit runs with the same -p/-c).
  exec {
    command = ["/bin/sh", "-c", "cd /etc/discovery-lb && { cp upstreams.conf upstreams.last-good.conf 2>/dev/null || true; } && cp upstreams.candidate.conf upstreams.conf && if nginx -q -t -p /var/lib/discovery-lb/ -c /etc/discovery-lb/nginx.conf; then nginx -p /var/lib/discovery-lb/ -c /etc/discovery-lb/nginx.conf -s reload; else echo 'nginx rejected the rendered upstreams; keeping the last good file' >&2; cp upstreams.last-good.conf upstreams.conf; exit 1; fi"]
    timeout = "30s"
  }
}

# Which instances serve each app: the peer set, pushed to nginx's loopback peer endpoint with the
# bearer secret, never reloading nginx (nginx.conf; the Lua side validates every line again). The
# destination is the file nginx loads at start, so a restarted nginx routes by the last set.
# Unlike `agent render`, consul-template writes it before nginx has accepted it; that is safe as
# long as the set has one valid line (nginx refuses a set with none), which peers.ctmpl's output of
# catalog data always has. consul-template publishes no discovery/lb/<name>/routed key.
template {
  source      = "/etc/discovery/nginx-templates/peers.ctmpl"
  destination = "/var/lib/discovery-lb/peers/peers.txt"
  perms       = 0600

  wait {
    min = "25ms"
    max = "250ms"
  }

  error_on_missing_key = false

  # The secret goes in through a file descriptor, never on a command line. curl -f: a refused push
  # exits non-zero, so consul-template logs nginx's reason.
  exec {
    command = ["/bin/bash", "-c", "curl -fsS --max-time 5 -X PUT -H @<(printf 'Authorization: Bearer %s\\n' \"$(cat /var/lib/discovery-lb/peers/push.secret)\") --data-binary @/var/lib/discovery-lb/peers/peers.txt http://127.0.0.1:8091/discovery/peers"]
    timeout = "10s"
  }
}

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

# Quiescence: a burst of catalog changes (a scale-up registering many instances) becomes one
# render. min is the floor added to every change's latency to nginx, so it stays well under the
# 1 s health-check interval; max bounds the delay while changes keep coming.
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

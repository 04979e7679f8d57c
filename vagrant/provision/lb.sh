#!/usr/bin/env bash
# lb1: nginx (Debian's) + consul-template rendering the shared nginx-templates/ files, and the
# `lb` service (meta stub_status) that the scalers read. Safe to re-run.
#
# ALIGN (nginx-templates/ is written by the templating work): this script assumes nginx.conf
# includes `lb-listen.conf` and the rendered `upstreams.conf` relative to its own folder, serves
# stub_status at http://127.0.0.1:8081/stub_status, and that consul-template.hcl renders
# upstreams.ctmpl to upstreams.conf (paths relative to the working directory) and reloads nginx.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME NODE_IP

prefix=/var/lib/discovery/lb
stub_status_port=8081
stub_status_path=/stub_status

if ! command -v nginx >/dev/null; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light >/dev/null
fi
# Debian's own nginx (default site on :80) would take lb1's port; ours runs from $prefix.
systemctl disable --quiet --now nginx.service 2>/dev/null || true

install -d -m 0755 "$prefix" "$prefix/logs" "$prefix/tmp"
# Copied unchanged into the prefix (relative includes then resolve there). Literal paths on
# purpose: the repository's drift test reads them (SharedLabFiles).
copy_file "$REPO/nginx-templates/nginx.conf" "$prefix/nginx.conf" 0644 root:root
copy_file "$REPO/nginx-templates/upstreams.ctmpl" "$prefix/upstreams.ctmpl" 0644 root:root
copy_file "$REPO/nginx-templates/consul-template.hcl" "$prefix/consul-template.hcl" 0644 root:root
copy_file "$REPO/vagrant/nginx/lb-listen.conf" "$prefix/lb-listen.conf" 0644 root:root
nginx_changed=$CHANGED

install_token "renderer-$NODE_NAME" root:root
put_file "$ETC/consul-template.env" 0600 root:root <<EOF_ENV
CONSUL_HTTP_ADDR=127.0.0.1:8500
CONSUL_HTTP_TOKEN=$(token_secret "renderer-$NODE_NAME")
EOF_ENV
install_unit consul-template.service
apply_service consul-template

CHANGED=$nginx_changed
install_unit discovery-nginx.service
apply_service discovery-nginx

# stub_status listens on loopback only (nginx.conf); the scaler on web1 must read it too, so
# systemd forwards lb1's private address to it. No change to the shared nginx.conf.
put_file /etc/systemd/system/discovery-stub-status.socket 0644 root:root <<EOF_UNIT
# Forwards $NODE_IP:$stub_status_port to nginx's loopback-only stub_status listener.
[Unit]
Description=nginx stub_status on the private network (for scalers on other nodes)

[Socket]
ListenStream=$NODE_IP:$stub_status_port
FreeBind=true

[Install]
WantedBy=sockets.target
EOF_UNIT
put_file /etc/systemd/system/discovery-stub-status.service 0644 root:root <<EOF_UNIT
[Unit]
Description=nginx stub_status proxy
Requires=discovery-stub-status.socket
After=discovery-stub-status.socket

[Service]
ExecStart=/lib/systemd/systemd-socket-proxyd 127.0.0.1:$stub_status_port
DynamicUser=yes
EOF_UNIT
apply_service discovery-stub-status.socket

# The `lb` service: scalers find the request-rate source through its meta.
put_file "$ETC/consul.d/lb-service.hcl" 0640 root:consul <<EOF_SVC
service {
  name  = "lb"
  id    = "lb-$NODE_NAME"
  port  = 80
  token = "$(token_secret "renderer-$NODE_NAME")"
  meta {
    stub_status = "http://$NODE_IP:$stub_status_port$stub_status_path"
  }
  check {
    id       = "lb-$NODE_NAME-stub-status"
    name     = "nginx stub_status"
    http     = "http://127.0.0.1:$stub_status_port$stub_status_path"
    interval = "5s"
    timeout  = "2s"
  }
}
EOF_SVC
if [ "$CHANGED" -eq 1 ]; then systemctl reload consul; fi
CHANGED=0
log "load balancer ready: http://$NODE_IP/ (stub_status http://$NODE_IP:$stub_status_port$stub_status_path)"

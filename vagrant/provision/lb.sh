#!/usr/bin/env bash
# lb1: nginx (Debian's) run from the shared nginx-templates/nginx.conf, a renderer that turns
# nginx-templates/upstreams.ctmpl into its upstreams.conf, the `lb` service (meta stub_status)
# that the scalers read, and a proxy that lets web1's scaler read stub_status. Safe to re-run.
#
# Renderer: consul-template with the shared nginx-templates/consul-template.hcl when it is
# installed (only with DISCOVERY_HASHICORP_APT_URL, see base.sh), else the agent's built-in
# renderer (`agent render`, vagrant/config/renderer.yaml). Both use the paths consul-template.hcl
# names: templates in /etc/discovery/nginx-templates, nginx config in /etc/discovery-lb, nginx
# prefix /var/lib/discovery-lb.
# shellcheck source-path=SCRIPTDIR
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_env NODE_NAME NODE_IP

templates="$ETC/nginx-templates"
conf_dir=/etc/discovery-lb
prefix=/var/lib/discovery-lb
stub_status_port=8090 # vagrant/nginx/lb-status-listen.conf
stub_status_path=/nginx_status
stub_status_url="http://$NODE_IP:$stub_status_port$stub_status_path"

renderer=agent
if [ -n "${HASHICORP_APT_URL:-}" ] && command -v consul-template >/dev/null; then renderer=consul-template; fi

# nginx.conf loads Debian's Lua module: the balancer picks instances from the peer set the
# renderer pushes, so instance changes never reload nginx.
lua_packages=(libnginx-mod-http-lua libnginx-mod-http-ndk lua-resty-core lua-resty-lrucache)
if ! command -v nginx >/dev/null || ! dpkg -s nginx-light "${lua_packages[@]}" >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nginx-light "${lua_packages[@]}" >/dev/null
fi
# Debian's own nginx (default site on :80) would take lb1's port; ours runs from $prefix.
systemctl disable --quiet --now nginx.service 2>/dev/null || true

install -d -m 0755 "$templates" "$conf_dir" "$prefix" "$prefix/logs" "$prefix/lua/discovery"
install -d -m 0700 "$prefix/peers"
# Copied unchanged (nginx.conf's includes are relative to its own folder; its Lua code and peer
# files live under the prefix). Literal paths on purpose: the repository's drift test reads them
# (SharedLabFiles).
copy_file "$REPO/nginx-templates/nginx.conf" "$conf_dir/nginx.conf" 0644 root:root
copy_file "$REPO/vagrant/nginx/lb-listen.conf" "$conf_dir/lb-listen.conf" 0644 root:root
copy_file "$REPO/vagrant/nginx/lb-status-listen.conf" "$conf_dir/lb-status-listen.conf" 0644 root:root
copy_file "$REPO/vagrant/nginx/lb-peers-listen.conf" "$conf_dir/lb-peers-listen.conf" 0644 root:root
lua_src="$REPO/nginx-templates/lua"
for lua in "$lua_src"/discovery/*.lua; do
  copy_file "$lua" "$prefix/lua/discovery/$(basename "$lua")" 0644 root:root
done
# The peer endpoint's bearer secret: made once on lb1, read by nginx's master at start and by the
# renderer (both root). Never leaves the VM.
if [ ! -s "$prefix/peers/push.secret" ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 | tr -d '/+=\n' >"$prefix/peers/push.secret")
  CHANGED=1
fi
nginx_changed=$CHANGED
CHANGED=0
copy_file "$REPO/nginx-templates/upstreams.ctmpl" "$templates/upstreams.ctmpl" 0644 root:root
copy_file "$REPO/nginx-templates/peers.ctmpl" "$templates/peers.ctmpl" 0644 root:root
copy_file "$REPO/nginx-templates/consul-template.hcl" "$templates/consul-template.hcl" 0644 root:root
render_changed=$CHANGED

install_token "renderer-$NODE_NAME" root:root
renderer_token="$(token_secret "renderer-$NODE_NAME")"
lb_service="$ETC/consul.d/lb-service.hcl"
consul_changed=0

if [ "$renderer" = consul-template ]; then
  if systemctl is-enabled --quiet discovery-renderer.service 2>/dev/null; then
    systemctl disable --quiet --now discovery-renderer.service
  fi
  CHANGED=$render_changed
  put_file "$ETC/consul-template.env" 0600 root:root <<EOF_ENV
CONSUL_HTTP_ADDR=https://127.0.0.1:8501
CONSUL_CACERT=/etc/discovery/tls/ca.pem
CONSUL_HTTP_TOKEN=$renderer_token
EOF_ENV
  install_unit consul-template.service
  apply_service consul-template

  # consul-template only renders; the `lb` service comes from a service definition.
  put_file "$lb_service" 0600 consul:consul <<EOF_SVC
service {
  name  = "lb"
  id    = "lb-$NODE_NAME"
  address = "$NODE_IP"
  port  = 80
  token = "$renderer_token"
  meta {
    stub_status = "$stub_status_url"
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
  consul_changed=$CHANGED
else
  if systemctl is-enabled --quiet consul-template.service 2>/dev/null; then
    systemctl disable --quiet --now consul-template.service
  fi
  # The built-in renderer registers `lb` itself (TTL check) and deregisters it on exit.
  if [ -f "$lb_service" ]; then rm -f "$lb_service"; consul_changed=1; fi
  CHANGED=$render_changed
  put_file "$ETC/agent.env" 0644 root:root <<<"CONSUL_HTTP_ADDR=https://127.0.0.1:8501
CONSUL_CACERT=/etc/discovery/tls/ca.pem"
  template="$REPO/vagrant/config/renderer.yaml"
  [ -f "$template" ] || die "missing $template"
  put_file "$ETC/renderer.yaml" 0640 root:root < <(sed -e "s/@NODE@/$NODE_NAME/g" -e "s/@ADDRESS@/$NODE_IP/g" "$template")
  record_binaries discovery-renderer # restart when a new agent was published
  install_unit discovery-renderer.service
  apply_service discovery-renderer
fi
if [ "$consul_changed" -eq 1 ]; then systemctl reload consul; fi

CHANGED=$nginx_changed
install_unit discovery-nginx.service
apply_service discovery-nginx

# stub_status listens on loopback only (nginx.conf allows 127.0.0.0/8 only); the scaler on web1
# must read it too, so systemd forwards lb1's private address to it. The proxy connects from
# 127.0.0.1, which nginx allows. No change to the shared nginx.conf.
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
log "load balancer ready ($renderer renders): http://$NODE_IP/ (stub_status $stub_status_url)"

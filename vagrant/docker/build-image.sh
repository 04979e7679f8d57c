#!/usr/bin/env bash
# The docker provider's base "box" (runs on the HOST, as root): Debian bookworm from debootstrap,
# with what a Vagrant box has — systemd as PID 1, openssh-server, sudo, rsync and a `vagrant`
# user authorised with Vagrant's well-known insecure public key (Vagrant swaps it for a key of
# its own on first boot, as with any box).
#
#   vagrant/docker/build-image.sh              build the image unless the daemon has it; prints the tag
#   vagrant/docker/build-image.sh --print-tag  print the tag only
#
# No registry is involved: debootstrap fetches from the Debian mirror this machine's apt sources
# name (scripts/debian-mirror), and the root filesystem goes in with `docker import`. The tag is
# discovery-vm-lab:bookworm-<first 12 hex digits of this file's SHA-256>, so any change to this
# recipe builds a new image; the Vagrantfile asks this script for the tag. The root filesystem is
# cached as .tools/vm-lab/<tag>.tar, so a new docker daemon (or `docker rmi`) only re-imports.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
recipe="$root/vagrant/docker/build-image.sh"
version="$(sha256sum "$recipe" | cut -c1-12)"
tag="discovery-vm-lab:bookworm-$version"
cache="$root/.tools/vm-lab"
tarball="$cache/bookworm-$version.tar"
vagrant_key="${VAGRANT_INSECURE_KEY:-}"

if [ "${1:-}" = --print-tag ]; then echo "$tag"; exit 0; fi
[ $# -eq 0 ] || { echo "usage: $0 [--print-tag]" >&2; exit 2; }

say() { printf 'vm image: %s\n' "$*" >&2; }
fail() { printf 'vm image: FAILED: %s\n' "$*" >&2; exit 1; }

command -v docker >/dev/null || fail "the docker CLI is not installed (Debian: docker.io)"
if docker image inspect "$tag" >/dev/null 2>&1; then
  say "$tag present"
  echo "$tag"
  exit 0
fi

# Vagrant's insecure public key ships with Vagrant itself; find it next to the installed gem.
if [ -z "$vagrant_key" ]; then
  for candidate in /usr/share/rubygems-integration/all/gems/vagrant-*/keys/vagrant.pub \
    /opt/vagrant/embedded/gems/gems/vagrant-*/keys/vagrant.pub \
    /opt/vagrant/embedded/gems/*/gems/vagrant-*/keys/vagrant.pub; do
    [ -f "$candidate" ] && vagrant_key="$candidate"
  done
fi
if [ -z "$vagrant_key" ] || [ ! -f "$vagrant_key" ]; then
  fail "Vagrant's insecure public key (keys/vagrant.pub of the vagrant gem) not found; set VAGRANT_INSECURE_KEY=<path>"
fi

if [ ! -s "$tarball" ]; then
  [ "$(id -u)" -eq 0 ] || fail "debootstrap needs root: run this script with sudo"
  command -v debootstrap >/dev/null || fail "debootstrap is not installed (Debian: debootstrap)"
  mirror="$("$root/scripts/debian-mirror")" || fail "no Debian mirror in /etc/apt/sources.list{,.d}"
  mkdir -p "$cache"
  rootfs="$(mktemp -d "$cache/rootfs.XXXXXX")"
  chmod 0755 "$rootfs" # it becomes the image's /: mktemp's 0700 would lock every other user out
  trap 'rm -rf "$rootfs" "$tarball.partial"' EXIT
  say "debootstrap bookworm from $mirror (about a minute; cached afterwards as $tarball)"
  # minbase + what a Vagrant box needs. dbus: hostnamectl/loginctl; iproute2, procps: Vagrant's
  # guest capabilities and any operator poking around.
  debootstrap --variant=minbase \
    --include=systemd,systemd-sysv,dbus,openssh-server,sudo,rsync,ca-certificates,iproute2,procps \
    bookworm "$rootfs" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || fail "debootstrap failed: $(tail -5 "$cache/debootstrap.log")"

  chroot "$rootfs" useradd --create-home --shell /bin/bash --user-group vagrant
  echo 'vagrant ALL=(ALL) NOPASSWD: ALL' >"$rootfs/etc/sudoers.d/vagrant"
  chmod 0440 "$rootfs/etc/sudoers.d/vagrant"
  install -d -m 0700 "$rootfs/home/vagrant/.ssh"
  install -m 0600 "$vagrant_key" "$rootfs/home/vagrant/.ssh/authorized_keys"
  chroot "$rootfs" chown -R vagrant:vagrant /home/vagrant/.ssh
  # A container cannot always write /proc/self/loginuid; a required pam_loginuid would then
  # refuse every ssh login.
  sed -i 's/^session\s\+required\s\+pam_loginuid.so/session optional pam_loginuid.so/' "$rootfs/etc/pam.d/sshd"
  # Each container gets its own machine-id (systemd writes one at first boot when empty).
  : >"$rootfs/etc/machine-id"
  rm -f "$rootfs/var/lib/dbus/machine-id"
  # Units that only make sense on real hardware or a real console.
  for unit in getty@tty1.service serial-getty@ttyS0.service systemd-timesyncd.service; do
    ln -sfn /dev/null "$rootfs/etc/systemd/system/$unit"
  done
  chroot "$rootfs" apt-get clean
  find "$rootfs/var/lib/apt/lists" -maxdepth 1 -type f -delete

  tar --numeric-owner --xattrs -C "$rootfs" -cf "$tarball.partial" .
  mv "$tarball.partial" "$tarball"
  rm -rf "$rootfs"
  trap - EXIT
  say "root filesystem cached: $tarball ($(du -h "$tarball" | cut -f1))"
fi

say "importing $tarball as $tag"
# (`docker import` cannot set STOPSIGNAL; the Vagrantfile passes --stop-signal SIGRTMIN+3.)
docker import \
  --change 'CMD ["/lib/systemd/systemd"]' \
  --change 'ENV container=docker' \
  --message "Discovery VM lab base (vagrant/docker/build-image.sh)" \
  "$tarball" "$tag" >/dev/null
echo "$tag"

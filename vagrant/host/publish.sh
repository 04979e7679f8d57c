#!/usr/bin/env bash
# Runs on the HOST (the Vagrantfile's trigger runs it before up/provision/reload; you can run it
# by hand too). Publishes the `agent` CLI and the sample app self-contained for Linux into
# $DISCOVERY_LAB_DIR/publish, which the Vagrantfile syncs to /discovery-lab in every VM.
# Why publish on the host instead of building in the VMs: see the Vagrantfile header.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lab="${DISCOVERY_LAB_DIR:-$root/.lab/vm}"
rid="${DISCOVERY_RID:-linux-x64}" # linux-arm64 for arm64 boxes
out="$lab/publish"

command -v dotnet >/dev/null || { echo "publish.sh: the .NET SDK (dotnet) is needed on the host" >&2; exit 1; }

publish() { # project output-folder
  dotnet publish "$root/src/$1" --nologo -v quiet -c Release -r "$rid" --self-contained \
    -p:PublishSingleFile=false -o "$out/$2"
}

publish Discovery.Cli agent
publish Discovery.WebApp webapp
publish Discovery.TodoApp todoapp
echo "publish.sh: agent, webapp and todoapp ($rid) published to $out"

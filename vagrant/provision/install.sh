#!/usr/bin/env bash
# Vagrant provisioning, step 1 of 2: installs Consul and the hamanager package and writes this
# node's settings.   install.sh NODE_NAME ADDRESS
set -euo pipefail
name=$1 address=$2
export DEBIAN_FRONTEND=noninteractive
CONSUL_VERSION=1.8.7+dfsg1-2+b3

# Consul is not in bookworm; Debian's bullseye suite has 1.8.7 (what the lab runs). Download it
# without mixing suites into the system: a temporary sources file, then the .deb is installed
# with apt, which resolves its dependencies from bookworm.
if ! dpkg-query -W -f='${Status}' consul 2>/dev/null | grep -q 'install ok installed'; then
  uris=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
  [[ -n $uris ]] || uris=$(awk '$1 == "deb" && $0 !~ /security/ {print $2; exit}' /etc/apt/sources.list)
  tmp_sources=/etc/apt/sources.list.d/hamanager-bullseye-tmp.sources
  work=$(mktemp -d)
  chmod 0755 "$work"
  trap 'rm -f "$tmp_sources"; rm -rf "$work"' EXIT
  printf 'Types: deb\nURIs: %s\nSuites: bullseye\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' \
    "$uris" >"$tmp_sources"
  apt-get update -qq
  (cd "$work" && apt-get download -qq "consul=$CONSUL_VERSION")
  rm -f "$tmp_sources"
  apt-get update -qq
  apt-get install -y -qq "$work"/consul_*.deb
fi

# The newest hamanager package from dist/ (synced to /opt/hamanager-dist).
deb=$(ls -t /opt/hamanager-dist/hamanager_*_amd64.deb | head -1)
apt-get install -y -qq "$deb"

# This node's settings: hamanager watch and the keepalived notify hook read them from the file
# (bootstrap's --address/--node-name apply to that run only). keepalived.interface stays unset:
# the VIP goes on the interface that carries node.address.
settings=/etc/hamanager/hamanager.yaml
sed -i -E \
  -e "s/^  name: .*/  name: $name/" \
  -e "s/^  address: \"\"$/  address: $address/" \
  "$settings"
grep -q "^  address: $address\$" "$settings" \
  || { echo "could not set node.address in $settings" >&2; exit 1; }

#!/usr/bin/env bash
# Vagrant provisioning, step 1 of 2: installs the hamanager package and Consul and writes this
# node's settings.   install.sh NODE_NAME ADDRESS
set -euo pipefail
name=$1 address=$2
export DEBIAN_FRONTEND=noninteractive

# The newest hamanager package from dist/ (synced to /opt/hamanager-dist), as docs/install.md, step 1.
deb=$(ls -t /opt/hamanager-dist/hamanager_*_amd64.deb | head -1)
apt-get update -qq
apt-get install -y -qq "$deb"

# Consul as docs/install.md says: the package's script (bullseye's 1.8.7; does nothing when present).
/usr/share/hamanager/install-consul

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

#!/usr/bin/env bash
# Vagrant provisioning, step 2 of 2: `hamanager bootstrap ARGS...`, then the watcher.
# A joining node retries while the first node is not up yet (libvirt brings the VMs up in
# parallel); bootstrap changes nothing on this node until the join target has answered.
set -euo pipefail

for attempt in $(seq 1 30); do
  if hamanager bootstrap "$@"; then break; fi
  [[ $attempt -lt 30 && " $* " == *" --join "* ]] || exit 1
  echo "bootstrap attempt $attempt failed; retrying in 10 s" >&2
  sleep 10
done

# hamanager-watch pulls in hamanager-consul (Wants=); enabling both makes Consul start at boot
# even while the watcher is stopped.
# The first node makes a join token (valid 2 h, once) for each other node, in the folder every VM shares.
if [[ -n ${HAMANAGER_JOIN_TOKENS:-} ]]; then
  install -d -m 0700 /vagrant/.join-tokens
  for pair in $HAMANAGER_JOIN_TOKENS; do
    (umask 077; hamanager join-token create --node "${pair%%=*}" --address "${pair#*=}" --ttl 2h >"/vagrant/.join-tokens/${pair%%=*}.token")
  done
fi
# A joined node never needs its token again.
for arg in "$@"; do [[ $arg == /vagrant/.join-tokens/*.token ]] && rm -f "$arg"; done

systemctl enable hamanager-consul.service
systemctl enable --now hamanager-watch.service
hamanager status || true

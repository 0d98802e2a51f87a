# Shared by bench/failover and bench/chaos (sourced, not run): the lab, a writer through the VIP,
# and the three figures every drill reports. Times are Unix seconds with milliseconds.
# shellcheck shell=bash

LAB_ROOT=${LAB_ROOT:-/tmp/hamanager-lab}
CLIENT=$PWD/tests/HaManager.LabClient/bin/Release/net10.0/HaManager.LabClient
CONN="Host=10.231.0.100;Port=6432;Username=manager;Database=manager"
NODES=(n1 n2 n3)

build_client() { dotnet build tests/HaManager.LabClient -c Release --nologo -v quiet >/dev/null; }
now() { date +%s.%N; }
# Stale reads: what that node's agent knows; a consistent read would wait out a Raft election and skew the timings.
kv() { lab/lab exec "$1" consul kv get -stale "$2"; }
pct() { sort -n | awk -v p="$1" '{a[NR]=$1} END {i=int((NR*p+99)/100); if(i<1)i=1; print a[i]}'; }
healthy() { lab/lab exec "$1" hamanager status --json >/dev/null 2>&1; }
others() { for n in "${NODES[@]}"; do if [[ $n != "$1" ]]; then echo "$n"; fi; done; }
app_password() { kv "$1" hamanager/secrets/postgres | jq -r .app_password; }
master_of() { kv "$1" hamanager/postgres/master 2>/dev/null | jq -r .node; }
# The node that is the Consul Raft leader, as $1's agent sees it (lab addresses: nN is 10.231.0.(10+N)).
raft_leader() {
  local addr; addr=$(lab/lab exec "$1" curl -s 127.0.0.1:8500/v1/status/leader | tr -d '"' | cut -d: -f1)
  # Prints nothing while there is no leader (an election), and still succeeds: callers run under set -e.
  if [[ $addr =~ ^10\.231\.0\.([0-9]+)$ ]]; then echo "n$((BASH_REMATCH[1] - 10))"; fi
}

any_healthy() { for n in "${NODES[@]}"; do healthy "$n" && echo "$n" && return 0; done; return 1; }

# place_leader on|off NODE OBSERVER: restart Consul on the Raft leader until the leadership is (or is
# not) on NODE. Consul 1.8 has no leadership transfer; a restart is an election.
place_leader() {
  for _ in $(seq 1 12); do
    local leader; leader=$(raft_leader "$3")
    if [[ $1 == on && $leader == "$2" ]] || [[ $1 == off && -n $leader && $leader != "$2" ]]; then return 0; fi
    [[ -n $leader ]] && { lab/lab stop-service "$leader" consul; lab/lab start-service "$leader" consul; } >/dev/null 2>&1
    sleep 4
  done
  echo "could not place the Raft leader $1 $2" >&2
  return 1
}

wait_healthy() { # NODE [SECONDS]
  local deadline=$((SECONDS + ${2:-180}))
  until healthy "$1"; do ((SECONDS > deadline)) && { echo "cluster not healthy after ${2:-180} s" >&2; return 1; }; sleep 1; done
}

# writer_start NODE DIR: inserts numbered rows through VIP:6432 from inside NODE, recording every acknowledged one.
writer_start() {
  local node=$1 dir=$2
  rm -f "$dir/stop" "$dir/acks"
  PGPASSWORD="$PW" lab/lab exec "$node" "$CLIENT" write "$CONN" "$dir/acks" "$dir/stop" 600 >"$dir/writer" 2>"$dir/writer.err" &
  WRITER=$!
  until [[ -s $dir/acks ]]; do kill -0 "$WRITER" 2>/dev/null || { echo "writer died: $(tail -3 "$dir/writer.err")" >&2; return 1; }; sleep 0.1; done
  sleep 2 # a steady state before the fault
}

writer_stop() { touch "$1/stop"; wait "$WRITER" || true; }

# longest_gap DIR: the longest time without an acknowledged write (an outage that never ended counts to now).
longest_gap() {
  awk -v now="$(now)" '/^outage/ { end = ($3 == "never-ended") ? now : $3; g = end - $2; if (g > m) m = g } END { printf "%.2f", m + 0 }' "$1/writer"
}

# rto DIR FAULT_AT: from the fault to the first acknowledged write after it ("-" when writes never stopped).
rto() {
  awk -v k="$2" '/^outage/ && $3 != "never-ended" && $3 > k { printf "%.2f", $3 - k; found = 1; exit } END { if (!found) printf "-" }' "$1/writer"
}

# lost DIR NODE: acknowledged rows missing from the database, read through the VIP from NODE.
lost() {
  PGPASSWORD="$PW" lab/lab exec "$2" "$CLIENT" verify "$CONN" "$1/acks" | awk '/^acknowledged/ {print $6}'
}

# kill_node NODE: the whole node, silently (link down, then kill -9 of everything in it); prints the
# moment its link went down, as lab/lab kill reports it.
kill_node() { lab/lab kill "$1" 2>&1 | sed -n 's/.* link down at \([0-9.]*\).*/\1/p'; }

# phases NODE FAULT_AT: when the new primary's failure detector decided, and when it had promoted,
# as seconds after the fault (from its watch log, whose lines start with HH:MM:SS.mmm, UTC).
phases() {
  local log=$LAB_ROOT/$1/var/log/hamanager-watch.log day
  day=$(date -u -d "@${2%.*}" +%F)
  awk -v day="$day" -v at="$2" '
    function epoch(t,   cmd, e) { cmd = "date -u -d \"" day " " t "\" +%s.%N"; cmd | getline e; close(cmd); return e }
    /WRN Failure detector: .*promoting/ && !d { e = epoch($1); if (e > at) d = e - at }
    /Promoted the local PostgreSQL/ && !p { e = epoch($1); if (e > at) p = e - at }
    END { printf "decided %.2f s, promoted %.2f s", d, p }' "$log"
}

# keep_logs DIR: copies every node's logs out of the lab before `lab/lab down` deletes them, so an outlier
# can be explained afterwards.
keep_logs() {
  local n
  for n in "$LAB_ROOT"/n*; do [[ -d $n/var/log ]] && mkdir -p "$1/logs/${n##*/}" && cp -r "$n/var/log/." "$1/logs/${n##*/}/"; done
  echo "logs of every node kept in $1/logs"
}

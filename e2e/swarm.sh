#!/usr/bin/env bash
# e2e/swarm.sh - a Docker Swarm of three engines on this machine, for e2e/tests/swarm.e2e.ts.
#
#   e2e/swarm.sh up              # build the cluster (idempotent: checks each piece first)
#   e2e/swarm.sh down            # tear it all down (idempotent); the main engine leaves swarm mode
#   e2e/swarm.sh status          # one line per node; exit 0 only when all three are Ready/Active
#   e2e/swarm.sh load IMAGE...   # docker save IMAGE (main engine) | docker load on each extra node
#
# The nodes: the main engine (unix:///run/docker.sock, manager, advertises 10.77.0.1 on the
# bridge below) and two extra dockerd instances (workers), each in a network namespace of its
# own (cdktf-swarm1, cdktf-swarm2) on a veth pair whose host end is a port of the host bridge
# cdktf-swbr0 (10.77.0.1/24); the nodes are 10.77.0.11 and 10.77.0.12. Each extra dockerd runs
# with its own data root (e2e/.work/swarm/<node>/data), exec root, pid file and unix socket
# (/run/cdktf-swarm/<node>.sock) and its own UTS namespace (its hostname is the node name), started
# with `nsenter --net=/run/netns/<ns> dockerd ... --bridge none --iptables=false` - not
# `ip netns exec`, which remounts /sys, and dockerd then fails with "Devices cgroup isn't mounted".
# The local registry 127.0.0.1:5000 answers inside each namespace too (socat -> unix socket ->
# socat -> the host's registry), so every node pulls the same image references.
#
# This kernel has no IPVS: the ingress routing mesh and VIP load balancing do not work here;
# services use publish mode "host" and endpoint mode "dnsrr". Overlay networks (VXLAN) work.
#
# Success prints what was done; any failure prints one line "e2e/swarm.sh: <reason>" on stderr
# and exits non-zero. Needs root and the main engine running (e2e/setup.sh).
set -uo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_WORK="$E2E_DIR/.work"
SWARM_WORK="$E2E_WORK/swarm"
SWARM_RUN="/run/cdktf-swarm"                 # short: unix socket paths are limited to 108 bytes
SWARM_LOCK="$E2E_WORK/swarm.lock"
ENGINE_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

MAIN_SOCK="/run/docker.sock"
BRIDGE="cdktf-swbr0"
NET_PREFIX="10.77.0"                         # the /24 of the bridge and the node veths
HOST_IP="$NET_PREFIX.1"                      # the main engine's advertise / data-path address
NODES=(swarm1 swarm2)
declare -A NODE_IP=([swarm1]="$NET_PREFIX.11" [swarm2]="$NET_PREFIX.12")
# Overlay networks (and the ingress network swarm creates) take /24s from here: clear of the
# bridge above, engine2's 10.200-10.202 and Docker's 172.17+/16 pools.
ADDR_POOL="10.78.0.0/16"
REGISTRY_ADDR="127.0.0.1:5000"
REGISTRY_SOCK="$SWARM_RUN/registry.sock"
BUSYBOX_IMAGE="${E2E_BUSYBOX_IMAGE:-local/busybox:1.35}"
FWD_LOG="$E2E_WORK/logs/swarm-forward.log"
START_TIMEOUT=30
STOP_TIMEOUT=60
JOIN_TIMEOUT=60
# A rule in the main engine's DOCKER-USER chain (kept by dockerd across restarts): the main
# engine's FORWARD policy is DROP and br_netfilter is on, so frames bridged between two node
# veths (VXLAN, gossip, swarm control traffic) pass through FORWARD and would be dropped.
FWD_RULE=(-i "$BRIDGE" -o "$BRIDGE" -m comment --comment cdktf-e2e-swarm -j ACCEPT)

ERR=""
die() { echo "e2e/swarm.sh: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

ns_name() { echo "cdktf-$1"; }                 # cdktf-swarm1
ns_path() { echo "/run/netns/cdktf-$1"; }
veth_host() { echo "cdktf-$1-h"; }             # cdktf-swarm1-h (15 characters at most)
veth_ns() { echo "cdktf-$1-n"; }
node_sock() { echo "$SWARM_RUN/$1.sock"; }
node_exec_root() { echo "$SWARM_RUN/$1"; }
node_pidfile() { echo "$SWARM_RUN/$1.pid"; }
node_data() { echo "$SWARM_WORK/$1/data"; }
node_config() { echo "$SWARM_WORK/$1/daemon.json"; }
node_log() { echo "$E2E_WORK/logs/swarm-$1.log"; }   # kept after down
in_ns() { local n=$1; shift; nsenter --net="$(ns_path "$n")" "$@"; }

docker_clean() { env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH docker "$@"; }
dk_main() { docker_clean -H "unix://$MAIN_SOCK" "$@"; }
dk_node() { local n=$1; shift; docker_clean -H "unix://$(node_sock "$n")" "$@"; }

# wait_for SECONDS CMD...: run CMD every 0.5 s until it succeeds or SECONDS passed.
wait_for() {
  local end=$(($(date +%s) + $1)); shift
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.5
  done
}

pid_alive() {
  local st
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || return 1
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
pid_gone() { ! pid_alive "$1"; }
pidfile_pid() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  echo "$pid"
}
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  wait_for "$STOP_TIMEOUT" pid_gone "$1" && return 0
  ERR="$2 (pid $1) did not exit within $STOP_TIMEOUT s after SIGTERM"
  return 1
}

main_up() { dk_main info >/dev/null 2>&1; }
node_up() { dk_node "$1" info >/dev/null 2>&1; }
swarm_state() { "$@" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null; }
main_swarm_state() { swarm_state dk_main; }
node_swarm_state() { swarm_state dk_node "$1"; }
main_is_manager() { [ "$(dk_main info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}' 2>/dev/null)" = "active true" ]; }

# ---- host network: bridge, forward rule -----------------------------------------
bridge_up() {
  local other
  other=$(ip -4 -o addr show to "$NET_PREFIX.0/24" 2>/dev/null | awk -v d="$BRIDGE" '$2 != d { print $2 }' | head -n1)
  [ -z "$other" ] || { ERR="$NET_PREFIX.0/24 is already used on host interface $other (change NET_PREFIX in e2e/swarm.sh)"; return 1; }
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge || { ERR="ip link add $BRIDGE type bridge failed"; return 1; }
  fi
  ip addr replace "$HOST_IP/24" dev "$BRIDGE" && ip link set "$BRIDGE" up \
    || { ERR="could not give $BRIDGE the address $HOST_IP/24"; return 1; }
  if ! iptables -C DOCKER-USER "${FWD_RULE[@]}" 2>/dev/null; then
    iptables -N DOCKER-USER 2>/dev/null || true
    iptables -I DOCKER-USER 1 "${FWD_RULE[@]}" || { ERR="iptables -I DOCKER-USER (accept $BRIDGE -> $BRIDGE) failed"; return 1; }
  fi
  iptables -C FORWARD -j DOCKER-USER 2>/dev/null || iptables -I FORWARD 1 -j DOCKER-USER \
    || { ERR="iptables -I FORWARD -j DOCKER-USER failed"; return 1; }
}

# ---- one extra node: namespace, veth, registry bridge, dockerd --------------------
node_netns_up() {
  local n=$1 vh vn ip
  vh=$(veth_host "$n"); vn=$(veth_ns "$n"); ip=${NODE_IP[$n]}
  mkdir -p "$SWARM_RUN"
  if [ ! -e "$(ns_path "$n")" ]; then
    ip netns add "$(ns_name "$n")" || { ERR="ip netns add $(ns_name "$n") failed"; return 1; }
  fi
  if ! ip link show "$vh" >/dev/null 2>&1; then
    in_ns "$n" ip link del "$vn" >/dev/null 2>&1 || true
    ip link add "$vh" type veth peer name "$vn" netns "$(ns_name "$n")" \
      || { ERR="could not create the veth pair $vh/$vn"; return 1; }
  fi
  ip link set "$vh" master "$BRIDGE" && ip link set "$vh" up \
    && in_ns "$n" ip link set lo up \
    && in_ns "$n" ip addr replace "$ip/24" dev "$vn" \
    && in_ns "$n" ip link set "$vn" up \
    || { ERR="could not configure the veth pair $vh ($BRIDGE) / $vn ($ip)"; return 1; }
}

socat_up() {   # socat_up PIDNAME NODE|host LISTEN CONNECT
  local name=$1 where=$2 pidf="$SWARM_RUN/$1.pid" pre=()
  pidfile_pid "$pidf" socat >/dev/null && return 0
  [ "$where" = host ] || pre=(nsenter --net="$(ns_path "$where")")
  echo "== $(date -u +%FT%TZ) e2e/swarm.sh: starting $name: socat $3 $4" >>"$FWD_LOG"
  env -i PATH="$ENGINE_PATH" setsid nohup "${pre[@]}" socat "$3" "$4" >>"$FWD_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$pidf"
  wait_for 5 pidfile_pid "$pidf" socat && return 0
  ERR="socat $name ($3 -> $4) did not start: $(tail -n1 "$FWD_LOG")"
  return 1
}
registry_host_up() {
  socat_up registry-host host "UNIX-LISTEN:$REGISTRY_SOCK,fork,unlink-early,mode=600" "TCP:$REGISTRY_ADDR"
}
node_registry_up() {
  socat_up "registry-$1" "$1" "TCP-LISTEN:${REGISTRY_ADDR##*:},bind=${REGISTRY_ADDR%:*},reuseaddr,fork" "UNIX-CONNECT:$REGISTRY_SOCK"
}

node_start() {
  local n=$1 pidf
  pidf=$(node_pidfile "$n")
  node_up "$n" && return 0
  mkdir -p "$(node_data "$n")" "$(node_exec_root "$n")"
  [ -f "$(node_config "$n")" ] || echo '{}' >"$(node_config "$n")"
  if [ -f "$pidf" ] && ! pidfile_pid "$pidf" dockerd >/dev/null; then rm -f "$pidf"; fi
  local cpid="$(node_exec_root "$n")/containerd/containerd.pid"
  if [ -f "$cpid" ] && ! pid_alive "$(cat "$cpid" 2>/dev/null)"; then rm -f "$cpid"; fi
  if ! pidfile_pid "$pidf" dockerd >/dev/null; then
    echo "== $(date -u +%FT%TZ) e2e/swarm.sh: starting dockerd of $n" >>"$(node_log "$n")"
    # Own UTS namespace: the node's hostname (docker node ls) is its name. nsenter, not
    # `ip netns exec` (see the top). unshare, sh and nsenter exec: the pid is dockerd's.
    env -i PATH="$ENGINE_PATH" setsid nohup unshare --uts -- sh -c 'hostname "$0" && exec "$@"' "cdktf-$n" \
      nsenter --net="$(ns_path "$n")" dockerd \
        --config-file "$(node_config "$n")" \
        --data-root "$(node_data "$n")" \
        --exec-root "$(node_exec_root "$n")" \
        --pidfile "$pidf" \
        -H "unix://$(node_sock "$n")" \
        --bridge none --iptables=false \
        >>"$(node_log "$n")" 2>&1 </dev/null 9>&- &
  fi
  wait_for "$START_TIMEOUT" node_up "$n" && return 0
  ERR="dockerd of $n did not answer on unix://$(node_sock "$n") within $START_TIMEOUT s: $(tail -n1 "$(node_log "$n")" 2>/dev/null) (log: $(node_log "$n"))"
  return 1
}

# load_image NODE IMAGE: docker save | docker load unless the node has the same image id.
load_image() {
  local n=$1 img=$2 want have
  want=$(dk_main image inspect -f '{{.Id}}' "$img" 2>/dev/null) || { ERR="the main engine has no image $img"; return 1; }
  have=$(dk_node "$n" image inspect -f '{{.Id}}' "$img" 2>/dev/null || true)
  [ "$want" = "$have" ] && return 0
  dk_main save "$img" | dk_node "$n" load >/dev/null || { ERR="docker save $img | docker load into $n failed"; return 1; }
}

# ---- swarm ----------------------------------------------------------------------
swarm_init() {
  case $(main_swarm_state) in
    active)
      main_is_manager || { ERR="the main engine is in a swarm but not a manager (leave it first: docker swarm leave --force)"; return 1; }
      [ "$(dk_main info --format '{{.Swarm.NodeAddr}}')" = "$HOST_IP" ] \
        || { ERR="the main engine is already in a swarm with address $(dk_main info --format '{{.Swarm.NodeAddr}}'), not $HOST_IP: not made by this script (leave it first: docker swarm leave --force)"; return 1; }
      return 0 ;;
    inactive) ;;
    *) ERR="the main engine's swarm state is '$(main_swarm_state)' (expected inactive or active)"; return 1 ;;
  esac
  local out
  out=$(dk_main swarm init --advertise-addr "$HOST_IP" --listen-addr "$HOST_IP:2377" --data-path-addr "$HOST_IP" \
    --default-addr-pool "$ADDR_POOL" --default-addr-pool-mask-length 24 2>&1) \
    || { ERR="docker swarm init on the main engine failed: $(echo "$out" | tail -n1)"; return 1; }
}

node_join() {
  local n=$1 token out state
  state=$(node_swarm_state "$n")
  if [ "$state" = active ]; then
    # In a swarm: ours (the manager knows its node id as Ready)?
    local id
    id=$(dk_node "$n" info --format '{{.Swarm.NodeID}}')
    if dk_main node inspect "$id" >/dev/null 2>&1; then return 0; fi
    dk_node "$n" swarm leave --force >/dev/null 2>&1 || true
  elif [ "$state" != inactive ] && [ -n "$state" ]; then
    dk_node "$n" swarm leave --force >/dev/null 2>&1 || true
  fi
  token=$(dk_main swarm join-token -q worker) || { ERR="docker swarm join-token worker failed"; return 1; }
  out=$(timeout "$JOIN_TIMEOUT" env -u DOCKER_HOST docker -H "unix://$(node_sock "$n")" swarm join --token "$token" \
    --advertise-addr "${NODE_IP[$n]}" --listen-addr "${NODE_IP[$n]}:2377" --data-path-addr "${NODE_IP[$n]}" "$HOST_IP:2377" 2>&1) \
    || { ERR="docker swarm join of $n (${NODE_IP[$n]}) to $HOST_IP:2377 failed: $(echo "$out" | tail -n1)"; return 1; }
}

# Every node of the swarm Ready and Active, three of them, named as we name them.
all_ready() {
  local rows
  rows=$(dk_main node ls --format '{{.Hostname}} {{.Status}} {{.Availability}}' 2>/dev/null) || return 1
  [ "$(echo "$rows" | grep -c ' Ready Active$')" = 3 ] || return 1
  for n in "${NODES[@]}"; do echo "$rows" | grep -q "^cdktf-$n Ready Active$" || return 1; done
}

cmd_up() {
  local t0 notes=() n
  t0=$(now)
  main_up || die "the main engine does not answer on unix://$MAIN_SOCK (run e2e/setup.sh first)"
  for t in ip nsenter unshare socat iptables; do command -v "$t" >/dev/null 2>&1 || die "$t is not installed"; done
  dk_main image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1 || die "the main engine has no $BUSYBOX_IMAGE (run e2e/setup.sh first)"
  mkdir -p "$SWARM_WORK" "$SWARM_RUN" "$E2E_WORK/logs"
  bridge_up || die "$ERR"
  registry_host_up || die "$ERR"
  for n in "${NODES[@]}"; do
    node_netns_up "$n" || die "$ERR"
    node_registry_up "$n" || die "$ERR"
    node_start "$n" || die "$ERR"
    load_image "$n" "$BUSYBOX_IMAGE" || die "$ERR"
  done
  swarm_init || die "$ERR"
  for n in "${NODES[@]}"; do node_join "$n" || die "$ERR"; done
  wait_for "$JOIN_TIMEOUT" all_ready || die "not all three nodes are Ready/Active within $JOIN_TIMEOUT s: $(dk_main node ls --format '{{.Hostname}}={{.Status}}/{{.Availability}}' 2>&1 | tr '\n' ' ')"
  # Labels to place or find tasks by (node.labels.e2e.node == main|swarm1|swarm2).
  dk_main node update --label-add e2e.node=main "$(dk_main info --format '{{.Swarm.NodeID}}')" >/dev/null \
    || die "docker node update --label-add on the main node failed"
  for n in "${NODES[@]}"; do
    dk_main node update --label-add "e2e.node=$n" "$(dk_node "$n" info --format '{{.Swarm.NodeID}}')" >/dev/null \
      || die "docker node update --label-add on $n failed"
  done
  for n in "${NODES[@]}"; do
    in_ns "$n" curl -sS -m 3 -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null \
      || die "the registry $REGISTRY_ADDR does not answer inside $(ns_name "$n") (is it running? e2e/setup.sh starts it)"
  done
  echo "e2e/swarm.sh: up in $(since "$t0") s: main ($HOST_IP, manager), ${NODES[0]} (${NODE_IP[${NODES[0]}]}), ${NODES[1]} (${NODE_IP[${NODES[1]}]})"
}

# ---- down -------------------------------------------------------------------------
# umount_under DIR: every mount point at or under DIR, deepest first.
umount_under() {
  local d=$1 m
  [ -e "$d" ] || return 0
  d=$(readlink -f "$d")
  awk '{ print $5 }' /proc/self/mountinfo | grep -E "^$d(/|$)" | sort -r | while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || true
  done
}

node_down() {
  local n=$1 pid vh
  if node_up "$n"; then
    [ "$(node_swarm_state "$n")" = inactive ] || timeout 30 env -u DOCKER_HOST docker -H "unix://$(node_sock "$n")" swarm leave --force >/dev/null 2>&1 || true
  fi
  if pid=$(pidfile_pid "$(node_pidfile "$n")" dockerd); then
    stop_pid "$pid" "dockerd of $n" || return 1
  elif node_up "$n"; then
    ERR="an engine answers on $(node_sock "$n") but $(node_pidfile "$n") names no running dockerd: not stopping it"
    return 1
  fi
  # The containerd that dockerd started (it exits with dockerd; wait for it, bounded).
  local cpid
  cpid=$(cat "$(node_exec_root "$n")/containerd/containerd.pid" 2>/dev/null || true)
  [ -z "$cpid" ] || wait_for 20 pid_gone "$cpid" || { kill -TERM "$cpid" 2>/dev/null; wait_for 10 pid_gone "$cpid" || true; }
  if pid=$(pidfile_pid "$SWARM_RUN/registry-$n.pid" socat); then stop_pid "$pid" "socat registry-$n" || return 1; fi
  rm -f "$SWARM_RUN/registry-$n.pid"
  umount_under "$(node_exec_root "$n")"
  umount_under "$(node_data "$n")"
  rm -rf "$(node_exec_root "$n")" "$SWARM_WORK/$n" "$(node_sock "$n")" "$(node_pidfile "$n")"
  [ ! -e "$(node_data "$n")" ] || { ERR="could not remove $(node_data "$n") (still mounted?)"; return 1; }
  vh=$(veth_host "$n")
  ! ip link show "$vh" >/dev/null 2>&1 || ip link del "$vh" || { ERR="ip link del $vh failed"; return 1; }
  if [ -e "$(ns_path "$n")" ]; then
    ip netns del "$(ns_name "$n")" || { ERR="ip netns del $(ns_name "$n") failed"; return 1; }
  fi
}

cmd_down() {
  local t0 n pid
  t0=$(now)
  for n in "${NODES[@]}"; do node_down "$n" || die "$ERR"; done
  if main_up; then
    if [ "$(main_swarm_state)" != inactive ]; then
      # Only a swarm this script made (advertised on the bridge address): never someone else's.
      local addr
      addr=$(dk_main info --format '{{.Swarm.NodeAddr}}' 2>/dev/null)
      [ "$(main_swarm_state)" != active ] || [ "$addr" = "$HOST_IP" ] \
        || die "the main engine is in a swarm this script did not make (node address ${addr:-unknown}, not $HOST_IP): not leaving it (docker swarm leave --force by hand)"
      timeout 60 env -u DOCKER_HOST docker -H "unix://$MAIN_SOCK" swarm leave --force >/dev/null 2>&1 \
        || die "docker swarm leave --force on the main engine failed: $(dk_main swarm leave --force 2>&1 | tail -n1)"
      wait_for 30 sh -c "[ \"\$(env -u DOCKER_HOST docker -H unix://$MAIN_SOCK info --format '{{.Swarm.LocalNodeState}}')\" = inactive ]" \
        || die "the main engine is still in swarm mode 30 s after docker swarm leave --force"
    fi
    # The bridge swarm made for the main engine's task containers; gone with the swarm.
    if dk_main network inspect docker_gwbridge >/dev/null 2>&1; then
      dk_main network rm docker_gwbridge >/dev/null 2>&1 \
        || die "could not remove the main engine's docker_gwbridge (a container still uses it?)"
    fi
  elif [ -n "$(ip link show "$BRIDGE" 2>/dev/null)" ]; then
    echo "e2e/swarm.sh: note: the main engine is down; it leaves the swarm the next time: docker swarm leave --force" >&2
  fi
  if pid=$(pidfile_pid "$SWARM_RUN/registry-host.pid" socat); then stop_pid "$pid" "socat registry-host" || die "$ERR"; fi
  while iptables -C DOCKER-USER "${FWD_RULE[@]}" 2>/dev/null; do
    iptables -D DOCKER-USER "${FWD_RULE[@]}" || die "iptables -D DOCKER-USER (the $BRIDGE rule) failed"
  done
  ! ip link show "$BRIDGE" >/dev/null 2>&1 || ip link del "$BRIDGE" || die "ip link del $BRIDGE failed"
  rm -rf "$SWARM_RUN" "$SWARM_WORK"
  echo "e2e/swarm.sh: down in $(since "$t0") s: nodes left, dockerds stopped, data removed, namespaces, veths and $BRIDGE removed, main engine out of swarm mode"
}

cmd_status() {
  local rc=0 n st
  if main_up; then
    st=$(dk_main info --format '{{.Swarm.LocalNodeState}} manager={{.Swarm.ControlAvailable}} addr={{.Swarm.NodeAddr}} nodes={{.Swarm.Nodes}}' 2>/dev/null)
    echo "main    unix://$MAIN_SOCK  swarm $st"
    [ "${st%% *}" = active ] || rc=1
  else
    echo "main    down  unix://$MAIN_SOCK"; rc=1
  fi
  for n in "${NODES[@]}"; do
    if node_up "$n"; then
      st=$(dk_node "$n" info --format '{{.Swarm.LocalNodeState}} addr={{.Swarm.NodeAddr}}' 2>/dev/null)
      echo "$n  unix://$(node_sock "$n")  netns $(ns_name "$n") ip ${NODE_IP[$n]}  swarm $st"
      [ "${st%% *}" = active ] || rc=1
    else
      echo "$n  down  unix://$(node_sock "$n")"; rc=1
    fi
  done
  if [ $rc = 0 ]; then
    dk_main node ls --format '  node {{.Hostname}} {{.Status}} {{.Availability}} {{.ManagerStatus}}'
    all_ready || rc=1
  fi
  return $rc
}

cmd_load() {
  local img n
  [ $# -gt 0 ] || die "usage: swarm.sh load IMAGE..."
  for img in "$@"; do
    for n in "${NODES[@]}"; do
      node_up "$n" || die "$n is not running (e2e/swarm.sh up)"
      load_image "$n" "$img" || die "$ERR"
    done
  done
  echo "e2e/swarm.sh: loaded $* into ${NODES[*]}"
}

[ "$(id -u)" = 0 ] || die "must run as root"
cmd=${1:-}; shift || true
case "$cmd" in
  up | down | status | load) ;;
  *) die "usage: swarm.sh up | down | status | load IMAGE..." ;;
esac
mkdir -p "$E2E_WORK"
exec 9>"$SWARM_LOCK"
flock -w 300 9 || die "another swarm.sh call holds $SWARM_LOCK for more than 300 s"
"cmd_$cmd" "$@"

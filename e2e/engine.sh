#!/usr/bin/env bash
# e2e/engine.sh - the one way to start, stop and restart the two Docker engines of the
# e2e tier. e2e/setup.sh sources this file and uses the same functions; the tests run it:
#
#   e2e/engine.sh status                  one line per engine; exit 0 only if both answer
#   e2e/engine.sh start   main|engine2    start if down, wait until it answers
#   e2e/engine.sh stop    main|engine2    SIGTERM, wait up to 60 s for the process to exit
#   e2e/engine.sh restart main|engine2    stop + start; prints the seconds it took
#
# main    Debian's dockerd with its defaults (unix:///run/docker.sock, /var/lib/docker),
#         host network namespace, log e2e/.work/dockerd.log.
# engine2 a second dockerd in its own network namespace ($ENGINE2_NETNS, veth pair on
#         10.202.0.0/24, engine2 at 10.202.0.2) with its own data root, exec root, pid file
#         and unix socket; TLS API (--tlsverify) on 10.202.0.2:2376, forwarded to
#         tcp://127.0.0.1:2376 on the host by socat. Log e2e/.work/engine2.log.
#         The host's registry 127.0.0.1:5000 is bridged into the namespace under the
#         same address (socat on both sides of a unix socket).
#         Why a namespace: next to the main engine, whose iptables rules set the FORWARD
#         policy to DROP while br_netfilter passes bridged frames through iptables, an
#         engine2 with --iptables=false in the host namespace could not pass any traffic
#         between two containers on its own bridge networks (measured; see e2e/README.md).
#
# Failures print one line "e2e/engine.sh: <reason>" and exit non-zero. Run as root.
# Calls are serialized with a lock file, so parallel tests cannot interleave restarts.

# ---- settings (shared with e2e/setup.sh) -------------------------------------
E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
E2E_WORK="$E2E_DIR/.work"
# Daemons get a clean environment: what the caller exports (DOCKER_HOST, proxies, test
# variables) must not change how an engine runs.
ENGINE_PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
ENGINE_STOP_TIMEOUT=60
ENGINE_START_TIMEOUT=30

MAIN_SOCK="/run/docker.sock"
MAIN_PIDFILE="/run/docker.pid"
MAIN_LOG="$E2E_WORK/dockerd.log"

ENGINE2_RUN="/run/cdktf-e2e"                  # short: unix socket paths are limited to 108 bytes
ENGINE2_EXEC_ROOT="$ENGINE2_RUN/engine2"
ENGINE2_PIDFILE="$ENGINE2_RUN/engine2.pid"
ENGINE2_SOCK="$ENGINE2_RUN/engine2.sock"
ENGINE2_DATA="$E2E_WORK/engine2/data"
ENGINE2_CONFIG="$E2E_WORK/engine2/daemon.json" # own (empty) config, never /etc/docker/daemon.json
ENGINE2_LOG="$E2E_WORK/engine2.log"
ENGINE2_NETNS="cdktf-e2e"
ENGINE2_NETNS_PATH="/run/netns/$ENGINE2_NETNS"
ENGINE2_VETH_HOST="cdktf-e2e-h"               # host end of the veth pair
ENGINE2_VETH_NS="cdktf-e2e-n"                 # namespace end
ENGINE2_NET_PREFIX="10.202.0"                 # /24 of the veth pair
ENGINE2_HOST_IP="$ENGINE2_NET_PREFIX.1"
ENGINE2_IP="$ENGINE2_NET_PREFIX.2"            # engine2's address; its published ports answer here
ENGINE2_BIP="10.200.0.1/24"                   # engine2's default bridge (inside the namespace)
ENGINE2_POOL="base=10.201.0.0/16,size=24"     # engine2's user-defined networks
ENGINE2_PORT=2376
ENGINE2_HOST="tcp://127.0.0.1:$ENGINE2_PORT"
ENGINE2_FORWARD_LOG="$E2E_WORK/engine2-forward.log"  # all socat forwarders
# The local registry (started by e2e/setup.sh). Inside engine2's namespace the same
# address is bridged to it through a unix socket, so both engines pull 127.0.0.1:5000/...
REGISTRY_ADDR="127.0.0.1:5000"
ENGINE2_REGISTRY_SOCK="$ENGINE2_RUN/registry.sock"
TLS_DIR="$E2E_WORK/tls"
TLS_SERVER="$TLS_DIR/server"                  # ca.pem cert.pem key.pem for engine2's dockerd
TLS_CLIENT="$TLS_DIR/client"                  # ca.pem cert.pem key.pem: provider cert_path / DOCKER_CERT_PATH
ENGINE_LOCK="$E2E_WORK/engine.lock"

ENGINE_ERR=""   # reason of the last failure of a function below

# ---- helpers -----------------------------------------------------------------
# docker CLI against one engine, whatever DOCKER_* variables the caller has set.
docker_clean() { env -u DOCKER_HOST -u DOCKER_CONTEXT -u DOCKER_TLS_VERIFY -u DOCKER_CERT_PATH docker "$@"; }
dk_main() { docker_clean -H "unix://$MAIN_SOCK" "$@"; }
dk_engine2() { docker_clean -H "unix://$ENGINE2_SOCK" "$@"; }
# docker CLI over engine2's TLS endpoint, with the client certificate folder.
dk_engine2_tls() { docker_clean --tlsverify -H "$ENGINE2_HOST" \
  --tlscacert "$TLS_CLIENT/ca.pem" --tlscert "$TLS_CLIENT/cert.pem" --tlskey "$TLS_CLIENT/key.pem" "$@"; }
in_netns() { nsenter --net="$ENGINE2_NETNS_PATH" "$@"; }

engine_now() { date +%s.%N; }
engine_since() { awk -v a="$1" -v b="$(engine_now)" 'BEGIN { printf "%.1f", b - a }'; }

# engine_wait SECONDS CMD...: run CMD every 0.5 s until it succeeds or SECONDS passed.
engine_wait() {
  local end=$(($(date +%s) + $1)); shift
  while :; do
    if "$@" >/dev/null 2>&1; then return 0; fi
    [ "$(date +%s)" -lt "$end" ] || return 1
    sleep 0.5
  done
}

# A process that has exited but was not reaped yet (a zombie) counts as gone.
pid_alive() {
  local st
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || return 1
  st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1) || return 1
  [ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}
pid_gone() { ! pid_alive "$1"; }

# pidfile_pid FILE NAME: print the pid from FILE if that process runs and is NAME.
pidfile_pid() {
  local pid
  [ -f "$1" ] || return 1
  pid=$(cat "$1" 2>/dev/null) || return 1
  pid_alive "$pid" || return 1
  [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$2" ] || return 1
  echo "$pid"
}

# clear_stale_pidfile FILE: remove FILE unless it names a live process. dockerd (and the
# containerd it manages) trust a pid file whose pid answers kill -0, which a zombie does:
# after a hard kill the old containerd lingers as one and the next dockerd waits for it
# ("containerd is still running") until it gives up.
clear_stale_pidfile() {
  [ -f "$1" ] || return 0
  pid_alive "$(cat "$1" 2>/dev/null)" || rm -f "$1"
}

# stop_pid PID WHAT: SIGTERM, then wait up to ENGINE_STOP_TIMEOUT s for the exit.
stop_pid() {
  kill -TERM "$1" 2>/dev/null || true
  engine_wait "$ENGINE_STOP_TIMEOUT" pid_gone "$1" && return 0
  ENGINE_ERR="$2 (pid $1) did not exit within $ENGINE_STOP_TIMEOUT s after SIGTERM"
  return 1
}

# ---- main engine ---------------------------------------------------------------
main_pid() { pidfile_pid "$MAIN_PIDFILE" dockerd; }
main_up() { dk_main info >/dev/null 2>&1; }

engine_start_main() {
  main_up && return 0
  command -v dockerd >/dev/null 2>&1 || { ENGINE_ERR="dockerd is not installed"; return 1; }
  mkdir -p "$E2E_WORK"
  # A dockerd killed hard leaves its pid files behind and the next one refuses to start.
  if [ -f "$MAIN_PIDFILE" ] && ! main_pid >/dev/null; then rm -f "$MAIN_PIDFILE"; fi
  if ! main_pid >/dev/null; then
    clear_stale_pidfile /run/docker/containerd/containerd.pid
    echo "== $(date -u +%FT%TZ) e2e/engine.sh: starting dockerd" >>"$MAIN_LOG"
    env -i PATH="$ENGINE_PATH" setsid nohup dockerd >>"$MAIN_LOG" 2>&1 </dev/null 9>&- &
  fi
  engine_wait "$ENGINE_START_TIMEOUT" main_up && return 0
  ENGINE_ERR="dockerd did not answer 'docker info' within $ENGINE_START_TIMEOUT s: $(tail -n1 "$MAIN_LOG" 2>/dev/null) (log: $MAIN_LOG)"
  return 1
}

engine_stop_main() {
  local pid
  if ! pid=$(main_pid); then
    if main_up; then
      ENGINE_ERR="an engine answers on $MAIN_SOCK but $MAIN_PIDFILE names no running dockerd: not stopping it"
      return 1
    fi
    return 0
  fi
  stop_pid "$pid" "main dockerd"
}

# ---- engine2 -------------------------------------------------------------------
engine2_pid() { pidfile_pid "$ENGINE2_PIDFILE" dockerd; }
engine2_up() { dk_engine2 info >/dev/null 2>&1; }
# The TLS endpoint on the host answers /_ping with our client certificate.
engine2_tls_up() {
  [ "$(curl -sS -m 3 --cacert "$TLS_CLIENT/ca.pem" --cert "$TLS_CLIENT/cert.pem" \
      --key "$TLS_CLIENT/key.pem" "https://127.0.0.1:$ENGINE2_PORT/_ping" 2>/dev/null)" = OK ]
}

# Network namespace + veth pair; idempotent.
engine2_netns_up() {
  local other
  mkdir -p "$ENGINE2_RUN"
  other=$(ip -4 -o addr show to "$ENGINE2_NET_PREFIX.0/24" 2>/dev/null | awk -v d="$ENGINE2_VETH_HOST" '$2 != d { print $2 }' | head -n1)
  if [ -n "$other" ]; then
    ENGINE_ERR="$ENGINE2_NET_PREFIX.0/24 is already used on host interface $other (change ENGINE2_NET_PREFIX in e2e/engine.sh)"
    return 1
  fi
  if [ ! -e "$ENGINE2_NETNS_PATH" ]; then
    ip netns add "$ENGINE2_NETNS" 2>/dev/null || { ENGINE_ERR="ip netns add $ENGINE2_NETNS failed"; return 1; }
  fi
  if ! ip link show "$ENGINE2_VETH_HOST" >/dev/null 2>&1; then
    in_netns ip link del "$ENGINE2_VETH_NS" >/dev/null 2>&1 || true
    ip link add "$ENGINE2_VETH_HOST" type veth peer name "$ENGINE2_VETH_NS" netns "$ENGINE2_NETNS" 2>/dev/null \
      || { ENGINE_ERR="could not create veth pair $ENGINE2_VETH_HOST/$ENGINE2_VETH_NS"; return 1; }
  fi
  ip addr replace "$ENGINE2_HOST_IP/24" dev "$ENGINE2_VETH_HOST" \
    && ip link set "$ENGINE2_VETH_HOST" up \
    && in_netns ip link set lo up \
    && in_netns ip addr replace "$ENGINE2_IP/24" dev "$ENGINE2_VETH_NS" \
    && in_netns ip link set "$ENGINE2_VETH_NS" up \
    || { ENGINE_ERR="could not configure the veth pair $ENGINE2_VETH_HOST ($ENGINE2_HOST_IP) / $ENGINE2_VETH_NS ($ENGINE2_IP)"; return 1; }
}

# socat_up NAME WHERE LISTEN CONNECT: a socat forwarder (WHERE: host or netns) that
# counts as running while $ENGINE2_RUN/NAME.pid names a live socat.
socat_up() {
  local name=$1 where=$2 pidf="$ENGINE2_RUN/$1.pid" pre=()
  pidfile_pid "$pidf" socat >/dev/null && return 0
  command -v socat >/dev/null 2>&1 || { ENGINE_ERR="socat is not installed"; return 1; }
  [ "$where" = host ] || pre=(nsenter --net="$ENGINE2_NETNS_PATH")
  echo "== $(date -u +%FT%TZ) e2e/engine.sh: starting $name: socat $3 $4" >>"$ENGINE2_FORWARD_LOG"
  env -i PATH="$ENGINE_PATH" setsid nohup "${pre[@]}" socat "$3" "$4" \
    >>"$ENGINE2_FORWARD_LOG" 2>&1 </dev/null 9>&- &
  echo $! >"$pidf"   # setsid, nohup and nsenter exec: this is socat's pid
  engine_wait 5 pidfile_pid "$pidf" socat && return 0
  ENGINE_ERR="socat forwarder $name ($3 -> $4) did not start: $(tail -n1 "$ENGINE2_FORWARD_LOG")"
  return 1
}
forward_name="forward-$ENGINE2_PORT"

# 127.0.0.1:2376 on the host -> 10.202.0.2:2376 in the namespace (TLS passes through).
engine2_forward_up() {
  pidfile_pid "$ENGINE2_RUN/$forward_name.pid" socat >/dev/null && return 0
  if ss_listens "$ENGINE2_PORT"; then
    ENGINE_ERR="127.0.0.1:$ENGINE2_PORT is taken by another program (not our forwarder)"
    return 1
  fi
  socat_up "$forward_name" host "TCP-LISTEN:$ENGINE2_PORT,bind=127.0.0.1,reuseaddr,fork" \
    "TCP:$ENGINE2_IP:$ENGINE2_PORT" || return 1
  engine_wait 5 ss_listens "$ENGINE2_PORT" && return 0
  ENGINE_ERR="socat forwarder $forward_name does not listen on 127.0.0.1:$ENGINE2_PORT"
  return 1
}

# 127.0.0.1:5000 in the namespace -> unix socket -> 127.0.0.1:5000 on the host.
engine2_registry_up() {
  socat_up registry-host host "UNIX-LISTEN:$ENGINE2_REGISTRY_SOCK,fork,unlink-early,mode=600" \
    "TCP:$REGISTRY_ADDR" || return 1
  socat_up registry-netns netns "TCP-LISTEN:${REGISTRY_ADDR##*:},bind=${REGISTRY_ADDR%:*},reuseaddr,fork" \
    "UNIX-CONNECT:$ENGINE2_REGISTRY_SOCK" || return 1
}
# The registry answers inside the namespace (needs the registry itself to run).
engine2_registry_ok() { in_netns curl -sS -m 3 -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null; }
ss_listens() { ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

engine_start_engine2() {
  local f
  for f in ca.pem cert.pem key.pem; do
    [ -f "$TLS_SERVER/$f" ] || { ENGINE_ERR="TLS file $TLS_SERVER/$f missing (run e2e/setup.sh)"; return 1; }
  done
  engine2_netns_up || return 1
  if ! engine2_up; then
    command -v dockerd >/dev/null 2>&1 || { ENGINE_ERR="dockerd is not installed"; return 1; }
    mkdir -p "$ENGINE2_RUN" "$ENGINE2_DATA"
    [ -f "$ENGINE2_CONFIG" ] || echo '{}' >"$ENGINE2_CONFIG"
    if [ -f "$ENGINE2_PIDFILE" ] && ! engine2_pid >/dev/null; then rm -f "$ENGINE2_PIDFILE"; fi
    if ! engine2_pid >/dev/null; then
      clear_stale_pidfile "$ENGINE2_EXEC_ROOT/containerd/containerd.pid"
      echo "== $(date -u +%FT%TZ) e2e/engine.sh: starting engine2" >>"$ENGINE2_LOG"
      # nsenter, not `ip netns exec`: the latter remounts /sys and dockerd then fails
      # with "Devices cgroup isn't mounted". nsenter execs dockerd (same pid).
      env -i PATH="$ENGINE_PATH" setsid nohup nsenter --net="$ENGINE2_NETNS_PATH" dockerd \
        --config-file "$ENGINE2_CONFIG" \
        --data-root "$ENGINE2_DATA" \
        --exec-root "$ENGINE2_EXEC_ROOT" \
        --pidfile "$ENGINE2_PIDFILE" \
        -H "unix://$ENGINE2_SOCK" \
        -H "tcp://$ENGINE2_IP:$ENGINE2_PORT" \
        --tlsverify \
        --tlscacert "$TLS_SERVER/ca.pem" --tlscert "$TLS_SERVER/cert.pem" --tlskey "$TLS_SERVER/key.pem" \
        --bip "$ENGINE2_BIP" \
        --default-address-pool "$ENGINE2_POOL" \
        >>"$ENGINE2_LOG" 2>&1 </dev/null 9>&- &
    fi
    if ! engine_wait "$ENGINE_START_TIMEOUT" engine2_up; then
      ENGINE_ERR="engine2 did not answer on unix://$ENGINE2_SOCK within $ENGINE_START_TIMEOUT s: $(tail -n1 "$ENGINE2_LOG" 2>/dev/null) (log: $ENGINE2_LOG)"
      return 1
    fi
  fi
  engine2_forward_up || return 1
  engine2_registry_up || return 1
  engine_wait 10 engine2_tls_up && return 0
  ENGINE_ERR="engine2 runs but $ENGINE2_HOST does not answer /_ping over TLS with the client certificate in $TLS_CLIENT"
  return 1
}

# Stops engine2's dockerd; the namespace and the forwarders stay (they hold no state).
engine_stop_engine2() {
  local pid
  if ! pid=$(engine2_pid); then
    if engine2_up; then
      ENGINE_ERR="engine2 answers on $ENGINE2_SOCK but $ENGINE2_PIDFILE names no running dockerd: not stopping it"
      return 1
    fi
    return 0
  fi
  stop_pid "$pid" "engine2 dockerd"
}

engine_status() {
  local rc=0 pid ver tls reg
  if main_up; then
    pid=$(main_pid || echo "?")
    ver=$(dk_main version --format '{{.Server.Version}}' 2>/dev/null || echo "?")
    echo "main     up    pid $pid  unix://$MAIN_SOCK  dockerd $ver"
  else
    echo "main     down  unix://$MAIN_SOCK"; rc=1
  fi
  if engine2_up; then
    pid=$(engine2_pid || echo "?")
    ver=$(dk_engine2 version --format '{{.Server.Version}}' 2>/dev/null || echo "?")
    if engine2_tls_up; then tls="$ENGINE2_HOST (tls ok)"; else tls="$ENGINE2_HOST (NOT answering)"; rc=1; fi
    if engine2_registry_ok; then reg="registry $REGISTRY_ADDR ok"; else reg="registry $REGISTRY_ADDR NOT reachable"; fi
    echo "engine2  up    pid $pid  unix://$ENGINE2_SOCK  $tls  netns $ENGINE2_NETNS ip $ENGINE2_IP  $reg  dockerd $ver"
  else
    echo "engine2  down  unix://$ENGINE2_SOCK  $ENGINE2_HOST"; rc=1
  fi
  return $rc
}

# ---- command line --------------------------------------------------------------
engine_main() {
  local cmd=${1:-} which=${2:-} t0
  engine_die() { echo "e2e/engine.sh: $*" >&2; exit 1; }
  [ "$(id -u)" = 0 ] || engine_die "must run as root"
  case "$cmd" in
    status) [ -z "$which" ] || engine_die "usage: engine.sh status"; engine_status; return ;;
    start | stop | restart) ;;
    *) engine_die "usage: engine.sh status | {start|stop|restart} {main|engine2}" ;;
  esac
  case "$which" in
    main | engine2) ;;
    *) engine_die "usage: engine.sh $cmd {main|engine2}" ;;
  esac
  mkdir -p "$E2E_WORK"
  exec 9>"$ENGINE_LOCK"
  flock -w 180 9 || engine_die "another engine.sh call holds $ENGINE_LOCK for more than 180 s"
  t0=$(engine_now)
  if [ "$cmd" = stop ] || [ "$cmd" = restart ]; then
    "engine_stop_$which" || engine_die "$ENGINE_ERR"
  fi
  if [ "$cmd" = restart ]; then
    echo "$which: stopped in $(engine_since "$t0") s"
  fi
  if [ "$cmd" = start ] || [ "$cmd" = restart ]; then
    "engine_start_$which" || engine_die "$ENGINE_ERR"
  fi
  echo "$which: ${cmd} done in $(engine_since "$t0") s"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -uo pipefail
  engine_main "$@"
fi

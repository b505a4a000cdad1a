#!/usr/bin/env bash
# e2e/setup.sh - prepare a real end-to-end environment for cdktf-docker-production.
#
# Idempotent: every step checks first and skips when already done. Every
# failure prints one line "e2e/setup.sh: <reason>" on stderr and exits non-zero.
# Meant for a fresh Debian 12 machine, run as root (by hand or from .ci/run).
# Nothing here needs a container registry on the internet or the Terraform registry.
#
# Steps:
#   1. Docker engine (Debian docker.io), dockerd started in the background if down
#   2. local base image $BUSYBOX_IMAGE built from Debian's busybox-static (no pull)
#   3. a local registry (Debian docker-registry) on $REGISTRY_ADDR, storage in .work
#   4. terraform on PATH (checked only)
#   5. kreuzwerker/docker provider built from source through the Go module proxy,
#      installed into a filesystem mirror + a Terraform CLI config pointing at it,
#      then verified with a real init/apply/plan/destroy of a docker_network.
#
# At the end it writes e2e/.work/env.sh and prints the export lines to use.
set -Eeuo pipefail

# ---- settings (one place) ---------------------------------------------------
# Tag of the local busybox image: must match the upstream major.minor of the
# busybox-static package Debian 12 ships (1:1.35.0-4+deb12u1); checked below.
BUSYBOX_IMAGE="local/busybox:1.35"
REGISTRY_ADDR="127.0.0.1:5000"
PROVIDER_SOURCE="registry.terraform.io/kreuzwerker/docker"
PROVIDER_VERSION="3.6.2"
# The module the provider is built from; its exact version is pinned in provider/go.mod.
PROVIDER_MODULE="github.com/terraform-providers/terraform-provider-docker"
# Marker header our registry config adds to every answer, to tell it from another one.
REGISTRY_MARK_HEADER="X-Cdktf-E2e-Registry"

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
WORK="$E2E_DIR/.work"
LOGS="$WORK/logs"
export DEBIAN_FRONTEND=noninteractive

die() { echo "e2e/setup.sh: $*" >&2; exit 1; }
# shellcheck disable=SC2154
trap 'rc=$?; echo "e2e/setup.sh: unexpected failure (exit $rc) at line $LINENO: $BASH_COMMAND" >&2; exit $rc' ERR

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd)"
mkdir -p "$WORK" "$LOGS"

now() { date +%s.%N; }
STEP_T0=0
step_begin() { STEP_T0=$(now); echo "[e2e-setup] $*"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }
step_end() { echo "[e2e-setup]   -> $1 ($(since "$STEP_T0")s)"; }

# apt-get install; runs `apt-get update` only when the install fails without it.
apt_install() {
  local log="$LOGS/apt.log"
  echo "+ apt-get install -y $*" >>"$log"
  if ! apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1; then
    echo "+ apt-get update" >>"$log"
    apt-get update >>"$log" 2>&1 || die "apt-get update failed (see $log)"
    apt-get install -y --no-install-recommends "$@" >>"$log" 2>&1 \
      || die "apt-get install $* failed (see $log)"
  fi
}

# wait_for SECONDS CMD...: poll CMD once a second.
wait_for() {
  local n=$1; shift
  local i
  for ((i = 0; i < n; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 1
  done
  "$@" >/dev/null 2>&1
}

# curl probes the registry.
command -v curl >/dev/null 2>&1 || apt_install curl ca-certificates

T_ALL=$(now)

# ---- 1. Docker engine -------------------------------------------------------
step_begin "1/5 docker engine"
if ! command -v dockerd >/dev/null 2>&1; then
  apt_install docker.io
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is still not on PATH"
fi
command -v docker >/dev/null 2>&1 || die "dockerd is installed but the docker client is not on PATH"
if docker info >/dev/null 2>&1; then
  step_end "dockerd already running"
else
  # A dockerd killed hard leaves its pid file behind and the next one refuses to start.
  if [ -f /var/run/docker.pid ] && ! kill -0 "$(cat /var/run/docker.pid)" 2>/dev/null; then
    rm -f /var/run/docker.pid
  fi
  if ! pidof dockerd >/dev/null 2>&1; then
    setsid nohup dockerd >>"$WORK/dockerd.log" 2>&1 </dev/null &
  fi
  wait_for 30 docker info \
    || die "dockerd did not answer 'docker info' within 30 s (see $WORK/dockerd.log)"
  step_end "dockerd started (log: $WORK/dockerd.log)"
fi

# ---- 2. local busybox base image -------------------------------------------
step_begin "2/5 base image $BUSYBOX_IMAGE"
if docker image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1; then
  step_end "image already present"
else
  command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb not found (not a Debian system?)"
  bb="$WORK/busybox"
  rm -rf "$bb" && mkdir -p "$bb/dl"
  (cd "$bb/dl" && apt-get download busybox-static >>"$LOGS/apt.log" 2>&1) || {
    apt-get update >>"$LOGS/apt.log" 2>&1 || die "apt-get update failed (see $LOGS/apt.log)"
    (cd "$bb/dl" && apt-get download busybox-static >>"$LOGS/apt.log" 2>&1) \
      || die "apt-get download busybox-static failed (see $LOGS/apt.log)"
  }
  deb=$(ls "$bb"/dl/busybox-static_*.deb)
  debver=$(dpkg-deb -f "$deb" Version)                         # e.g. 1:1.35.0-4+deb12u1+b1
  upstream=${debver#*:}; upstream=${upstream%%-*}               # 1.35.0
  majmin=$(echo "$upstream" | cut -d. -f1,2)                    # 1.35
  [ "${BUSYBOX_IMAGE##*:}" = "$majmin" ] \
    || die "busybox-static here is $debver but BUSYBOX_IMAGE is $BUSYBOX_IMAGE: set the tag to $majmin at the top of e2e/setup.sh"
  dpkg-deb -x "$deb" "$bb/deb"
  [ -x "$bb/deb/bin/busybox" ] || die "busybox-static package has no bin/busybox"

  r="$bb/rootfs"
  mkdir -p "$r/bin" "$r/etc" "$r/root" "$r/var/www" "$r/home" "$r/usr" "$r/proc" "$r/sys" "$r/dev"
  install -d -m 1777 "$r/tmp"
  cp "$bb/deb/bin/busybox" "$r/bin/busybox"
  for applet in $("$r/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$r/bin/$applet"
  done
  for a in httpd nc wget sh; do
    [ -L "$r/bin/$a" ] || die "busybox $upstream has no '$a' applet"
  done
  ln -s bin "$r/sbin"
  ln -s ../bin "$r/usr/bin"
  ln -s ../bin "$r/usr/sbin"
  cat >"$r/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
www-data:x:33:33:www-data:/var/www:/bin/false
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
EOF
  cat >"$r/etc/group" <<'EOF'
root:x:0:
www-data:x:33:
nogroup:x:65534:
EOF
  printf 'hosts: files dns\n' >"$r/etc/nsswitch.conf"
  printf 'busybox %s (Debian busybox-static %s) - cdktf-docker-production e2e\n' "$upstream" "$debver" \
    >"$r/var/www/index.html"
  tar -C "$r" --numeric-owner --owner=0 --group=0 --sort=name -cf "$bb/rootfs.tar" .
  docker import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["sh"]' \
    --message "busybox-static $debver from Debian, for cdktf-docker-production e2e" \
    "$bb/rootfs.tar" "$BUSYBOX_IMAGE" >/dev/null \
    || die "docker import of $bb/rootfs.tar as $BUSYBOX_IMAGE failed"
  # Smoke test: serve HTTP with httpd and fetch it with wget inside one container.
  out=$(docker run --rm --network none "$BUSYBOX_IMAGE" sh -c \
    'httpd -p 127.0.0.1:8080 -h /var/www && wget -q -O- http://127.0.0.1:8080/ && command -v nc' 2>&1) \
    || { docker image rm "$BUSYBOX_IMAGE" >/dev/null 2>&1 || true; die "smoke test of $BUSYBOX_IMAGE failed: $(echo "$out" | tail -n1)"; }
  step_end "imported from busybox-static $debver"
fi

# ---- 3. local registry ------------------------------------------------------
step_begin "3/5 registry on $REGISTRY_ADDR"
REG_DIR="$WORK/registry"
REG_CONF="$REG_DIR/config.yml"
mkdir -p "$REG_DIR/storage"
reg_conf_new=$(cat <<EOF
# Written by e2e/setup.sh - local registry for the e2e tests (no auth, loopback only).
version: 0.1
log:
  level: info
  fields:
    service: registry
storage:
  filesystem:
    rootdirectory: $REG_DIR/storage
  delete:
    enabled: true
  cache:
    blobdescriptor: inmemory
http:
  addr: $REGISTRY_ADDR
  headers:
    X-Content-Type-Options: [nosniff]
    $REGISTRY_MARK_HEADER: [cdktf-docker-production]
EOF
)
if [ ! -f "$REG_CONF" ] || [ "$(cat "$REG_CONF")" != "$reg_conf_new" ]; then
  printf '%s\n' "$reg_conf_new" >"$REG_CONF"
fi

# 0 = ours answers, 1 = nothing answers, 2 = something else answers
registry_state() {
  local headers
  headers=$(curl -fsS -m 3 -D - -o /dev/null "http://$REGISTRY_ADDR/v2/" 2>/dev/null) || {
    curl -sS -m 3 -o /dev/null "http://$REGISTRY_ADDR/v2/" >/dev/null 2>&1 && return 2
    return 1
  }
  echo "$headers" | grep -qi "^$REGISTRY_MARK_HEADER:" && return 0
  return 2
}
registry_ours() { registry_state; }

state=0; registry_state || state=$?
if [ "$state" = 0 ]; then
  step_end "our registry already answers"
else
  if ! command -v docker-registry >/dev/null 2>&1; then
    apt_install docker-registry
    command -v docker-registry >/dev/null 2>&1 || die "docker-registry installed but not on PATH"
  fi
  state=0; registry_state || state=$?
  if [ "$state" = 2 ]; then
    # Debian's service (config /etc/docker/registry/config.yml, :5000 on all
    # addresses) autostarts on machines where services may start: stop it.
    if [ -d /run/systemd/system ]; then
      systemctl stop docker-registry.service >>"$LOGS/registry.log" 2>&1 || true
    elif [ -x /etc/init.d/docker-registry ]; then
      /etc/init.d/docker-registry stop >>"$LOGS/registry.log" 2>&1 || true
    fi
    sleep 1
    state=0; registry_state || state=$?
    [ "$state" = 1 ] || [ "$state" = 0 ] \
      || die "another server answers on http://$REGISTRY_ADDR/v2/ (not ours, and stopping the docker-registry service did not free it)"
  fi
  if [ "$state" = 1 ]; then
    setsid nohup docker-registry serve "$REG_CONF" >>"$WORK/registry.log" 2>&1 </dev/null &
    wait_for 15 registry_ours \
      || die "docker-registry did not answer on http://$REGISTRY_ADDR/v2/ within 15 s (see $WORK/registry.log)"
  fi
  step_end "docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}') serving $REG_CONF (log: $WORK/registry.log)"
fi

# ---- 4. terraform -----------------------------------------------------------
step_begin "4/5 terraform"
command -v terraform >/dev/null 2>&1 || die "terraform is not on PATH (install Terraform >= 1.5 first)"
TF_VER=$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' | head -n1)
[ -n "$TF_VER" ] || die "could not read 'terraform version' from $(command -v terraform)"
step_end "terraform $TF_VER at $(command -v terraform)"

# ---- 5. docker provider from source + filesystem mirror --------------------
step_begin "5/5 provider kreuzwerker/docker $PROVIDER_VERSION"
GO_BIN=""
if command -v go >/dev/null 2>&1; then GO_BIN=$(command -v go)
elif [ -x /usr/local/go/bin/go ]; then GO_BIN=/usr/local/go/bin/go
fi
PROV_SRC="$E2E_DIR/provider"
MIRROR="$WORK/plugins"
TFRC="$WORK/terraformrc"
platform="linux_amd64"
[ -n "$GO_BIN" ] && platform="$("$GO_BIN" env GOOS)_$("$GO_BIN" env GOARCH)"
PROV_BIN="$MIRROR/$PROVIDER_SOURCE/$PROVIDER_VERSION/$platform/terraform-provider-docker_v$PROVIDER_VERSION"
# The exact source version is the replacement target pinned in provider/go.mod.
PIN=$(sed -n 's|^replace[[:space:]]*'"$PROVIDER_MODULE"'[[:space:]]*=>[[:space:]]*\([^[:space:]]*\)[[:space:]]*\([^[:space:]]*\).*|\1@\2|p' "$PROV_SRC/go.mod" 2>/dev/null | head -n1)
[ -n "$PIN" ] || die "no 'replace $PROVIDER_MODULE => ...' line found in $PROV_SRC/go.mod"

# Right version = built from the pinned source with main.version=$PROVIDER_VERSION.
binary_ok() {
  [ -x "$PROV_BIN" ] || return 1
  [ -n "$GO_BIN" ] || return 0   # cannot inspect without go: trust the path
  local info
  info=$("$GO_BIN" version -m "$PROV_BIN" 2>/dev/null) || return 1
  echo "$info" | grep -q -- "-X main.version=$PROVIDER_VERSION" || return 1
  echo "$info" | grep -q "=>[[:space:]]*${PIN%@*}[[:space:]]*${PIN#*@}" || return 1
}

if binary_ok; then
  build_note="binary already built from $PIN"
else
  [ -n "$GO_BIN" ] || die "go not found (need Go >= 1.24 on PATH or at /usr/local/go/bin/go) to build the provider"
  # Ask the module proxy for the pinned source first: its answer is the clearest reason.
  dl=$(cd "$PROV_SRC" && "$GO_BIN" mod download -json "$PIN" 2>&1) || true
  if echo "$dl" | grep -q '"Error"'; then
    reason=$(echo "$dl" | sed -n 's/.*"Error": *"\(.*\)",\{0,1\}$/\1/p' | sed 's/\\n\\t/ /g; s/\\n/ /g' | head -n1)
    die "cannot fetch provider source $PIN through the Go module proxy: ${reason:-$(echo "$dl" | tail -n1)}"
  fi
  mkdir -p "$(dirname "$PROV_BIN")"
  blog="$LOGS/provider-build.log"
  # go.sum is committed; (re)create it only when it lacks entries the build needs.
  if ! (cd "$PROV_SRC" && "$GO_BIN" list -deps "$PROVIDER_MODULE") >/dev/null 2>&1; then
    echo "+ go mod tidy (in $PROV_SRC) $(date -u +%FT%TZ)" >>"$blog"
    (cd "$PROV_SRC" && "$GO_BIN" mod tidy) >>"$blog" 2>&1 \
      || die "go mod tidy in $PROV_SRC failed: $(tail -n1 "$blog") (full log: $blog)"
    echo "[e2e-setup]   note: wrote $PROV_SRC/go.sum - commit it"
  fi
  echo "+ go build (in $PROV_SRC) $(date -u +%FT%TZ)" >>"$blog"
  (cd "$PROV_SRC" && "$GO_BIN" build \
      -ldflags "-s -w -X main.version=$PROVIDER_VERSION" \
      -o "$PROV_BIN.tmp" "$PROVIDER_MODULE") >>"$blog" 2>&1 \
    || die "go build of $PIN failed: $(tail -n1 "$blog") (full log: $blog)"
  mv -f "$PROV_BIN.tmp" "$PROV_BIN"
  binary_ok || die "built $PROV_BIN but 'go version -m' does not show main.version=$PROVIDER_VERSION from $PIN"
  build_note="built from $PIN"
fi

tfrc_new=$(cat <<EOF
# Written by e2e/setup.sh. Use with: export TF_CLI_CONFIG_FILE=$TFRC
provider_installation {
  filesystem_mirror {
    path    = "$MIRROR"
    include = ["$PROVIDER_SOURCE"]
  }
  direct {
    exclude = ["$PROVIDER_SOURCE"]
  }
}
EOF
)
if [ ! -f "$TFRC" ] || [ "$(cat "$TFRC")" != "$tfrc_new" ]; then
  printf '%s\n' "$tfrc_new" >"$TFRC"
fi

# Verify once per (binary, terraform) pair: real init/apply/plan/destroy, no network.
CHK="$WORK/provider-check"
stamp="$(sha256sum "$PROV_BIN" | cut -d' ' -f1) terraform-$TF_VER"
if [ -f "$CHK/.verified" ] && [ "$(cat "$CHK/.verified")" = "$stamp" ]; then
  step_end "$build_note; verified earlier"
else
  rm -rf "$CHK" && mkdir -p "$CHK"
  cat >"$CHK/main.tf.json" <<EOF
{
  "terraform": {
    "required_providers": {
      "docker": { "source": "kreuzwerker/docker", "version": "$PROVIDER_VERSION" }
    }
  },
  "provider": { "docker": {} },
  "resource": {
    "docker_network": { "probe": { "name": "cdktf-e2e-setup-probe" } }
  }
}
EOF
  clog="$LOGS/provider-check.log"
  : >"$clog"
  tf() { (cd "$CHK" && TF_CLI_CONFIG_FILE="$TFRC" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 terraform "$@" -no-color) >>"$clog" 2>&1; }
  docker network rm cdktf-e2e-setup-probe >/dev/null 2>&1 || true
  tf init -input=false || die "terraform init against the filesystem mirror failed: $(grep -m1 -i error "$clog" || tail -n1 "$clog") (log: $clog)"
  tf apply -auto-approve -input=false || die "terraform apply of the probe docker_network failed (log: $clog)"
  docker network inspect cdktf-e2e-setup-probe >/dev/null 2>&1 || { tf destroy -auto-approve -input=false || true; die "terraform apply succeeded but docker has no network cdktf-e2e-setup-probe"; }
  prc=0; tf plan -detailed-exitcode -input=false || prc=$?
  if [ "$prc" != 0 ]; then
    tf destroy -auto-approve -input=false || true
    die "terraform plan after apply is not empty (detailed exit code $prc; log: $clog)"
  fi
  tf destroy -auto-approve -input=false || die "terraform destroy of the probe docker_network failed (log: $clog)"
  if docker network inspect cdktf-e2e-setup-probe >/dev/null 2>&1; then die "terraform destroy left docker network cdktf-e2e-setup-probe behind"; fi
  echo "$stamp" >"$CHK/.verified"
  step_end "$build_note; verified init/apply/plan/destroy (log: $clog)"
fi

# ---- environment for the tests ---------------------------------------------
cat >"$WORK/env.sh" <<EOF
# Written by e2e/setup.sh - source it: . e2e/.work/env.sh
export TF_CLI_CONFIG_FILE="$TFRC"
export CHECKPOINT_DISABLE=1
export E2E_BUSYBOX_IMAGE="$BUSYBOX_IMAGE"
export E2E_REGISTRY="$REGISTRY_ADDR"
EOF
echo "[e2e-setup] all steps done in $(since "$T_ALL")s. Environment (also in $WORK/env.sh):"
grep '^export' "$WORK/env.sh"

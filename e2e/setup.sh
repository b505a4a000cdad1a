#!/usr/bin/env bash
# e2e/setup.sh - prepare a real end-to-end environment for cdktf-docker-production.
#
# Idempotent: every step checks first and skips when already done. Every
# failure prints one line "e2e/setup.sh: <reason>" on stderr and exits non-zero.
# Meant for a fresh Debian 12 machine, run as root (by hand or from .ci/run).
# Nothing here needs a container registry on the internet or the Terraform registry.
#
# Steps:
#   1. main Docker engine (Debian docker.io), dockerd started in the background if down
#   2. local base image $BUSYBOX_IMAGE built from Debian's busybox-static (no pull)
#   3. a local registry (Debian docker-registry) on $REGISTRY_ADDR, storage in .work
#   4. terraform on PATH (checked only)
#   5. kreuzwerker/docker provider $PROVIDER_VERSION built from source through the Go
#      module proxy into a filesystem mirror + a Terraform CLI config pointing at it,
#      verified with a real init/apply/plan/destroy of a docker_network
#   6. provider $OLD_PROVIDER_VERSION: verified and used only if a binary is already there
#   7. TLS material (openssl): CA, server certificate for engine2, client certificate
#   8. engine2: a second dockerd in its own network namespace, TLS API on
#      tcp://127.0.0.1:2376, proven with a bridge network, name resolution, published
#      ports, a pull from the local registry and the provider over TLS
#   9. ssh route: sshd on 127.0.0.1:$SSH_PORT with a generated key, for ssh:// hosts
#
# The engines are started and stopped by e2e/engine.sh (sourced here: one way to start
# each engine). At the end it writes e2e/.work/env.sh and prints its export lines; the
# file exists only after a complete successful run.
set -Eeuo pipefail

# ---- settings (one place; the engines' settings are in e2e/engine.sh) ---------
# Tag of the local busybox image: must match the upstream major.minor of the
# busybox-static package Debian 12 ships (1:1.35.0-4+deb12u1); checked below.
BUSYBOX_IMAGE="local/busybox:1.35"
PROVIDER_SOURCE="registry.terraform.io/kreuzwerker/docker"
PROVIDER_VERSION="4.6.0"
# The module the provider is built from; its exact version is pinned in provider/go.mod.
PROVIDER_MODULE="github.com/terraform-providers/terraform-provider-docker"
# Older provider line, tested too when its binary is already in a mirror (it cannot be
# built here: the Go module proxy answers 403 for its source).
OLD_PROVIDER_VERSION="3.6.2"
# Marker header our registry config adds to every answer, to tell it from another one.
REGISTRY_MARK_HEADER="X-Cdktf-E2e-Registry"
SSH_PORT=2222

# The engines' settings, REGISTRY_ADDR (127.0.0.1:5000) and the start/stop functions:
# shellcheck source=e2e/engine.sh
. "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/engine.sh"
WORK="$E2E_WORK"
LOGS="$WORK/logs"
export DEBIAN_FRONTEND=noninteractive
# Terraform runs below must not see a caller's DOCKER_* settings or plugin cache.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH TF_PLUGIN_CACHE_DIR

die() { echo "e2e/setup.sh: $*" >&2; exit 1; }
# shellcheck disable=SC2154
trap 'rc=$?; echo "e2e/setup.sh: unexpected failure (exit $rc) at line $LINENO: $BASH_COMMAND" >&2; exit $rc' ERR

[ "$(id -u)" = 0 ] || die "must run as root (installs packages, starts dockerd)"
mkdir -p "$WORK" "$LOGS"
# Written again at the very end: no env.sh (no E2E_READY=1) while setup is incomplete.
rm -f "$WORK/env.sh"

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

# Tools from Debian: curl probes the registry and engine2, openssl makes the TLS
# material, socat forwards engine2's port, ip/nsenter build its network namespace.
need=()
command -v curl >/dev/null 2>&1 || need+=(curl ca-certificates)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v socat >/dev/null 2>&1 || need+=(socat)
command -v ip >/dev/null 2>&1 || need+=(iproute2)
command -v nsenter >/dev/null 2>&1 || need+=(util-linux)
command -v flock >/dev/null 2>&1 || need+=(util-linux)
[ ${#need[@]} = 0 ] || apt_install "${need[@]}"

T_ALL=$(now)

# ---- 1. main Docker engine -----------------------------------------------------
step_begin "1/9 main docker engine"
if ! command -v dockerd >/dev/null 2>&1; then
  apt_install docker.io
  command -v dockerd >/dev/null 2>&1 || die "docker.io installed but dockerd is still not on PATH"
fi
command -v docker >/dev/null 2>&1 || die "dockerd is installed but the docker client is not on PATH"
if main_up; then
  step_end "dockerd already running"
else
  engine_start_main || die "$ENGINE_ERR"
  step_end "dockerd started (log: $MAIN_LOG)"
fi

# ---- 2. local busybox base image -------------------------------------------
step_begin "2/9 base image $BUSYBOX_IMAGE"
if dk_main image inspect "$BUSYBOX_IMAGE" >/dev/null 2>&1; then
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
  dk_main import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'CMD ["sh"]' \
    --message "busybox-static $debver from Debian, for cdktf-docker-production e2e" \
    "$bb/rootfs.tar" "$BUSYBOX_IMAGE" >/dev/null \
    || die "docker import of $bb/rootfs.tar as $BUSYBOX_IMAGE failed"
  # Smoke test: serve HTTP with httpd and fetch it with wget inside one container.
  out=$(dk_main run --rm --network none "$BUSYBOX_IMAGE" sh -c \
    'httpd -p 127.0.0.1:8080 -h /var/www && wget -q -O- http://127.0.0.1:8080/ && command -v nc' 2>&1) \
    || { dk_main image rm "$BUSYBOX_IMAGE" >/dev/null 2>&1 || true; die "smoke test of $BUSYBOX_IMAGE failed: $(echo "$out" | tail -n1)"; }
  step_end "imported from busybox-static $debver"
fi

# ---- 3. local registry ------------------------------------------------------
step_begin "3/9 registry on $REGISTRY_ADDR"
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
    engine_wait 15 registry_ours \
      || die "docker-registry did not answer on http://$REGISTRY_ADDR/v2/ within 15 s (see $WORK/registry.log)"
  fi
  step_end "docker-registry $(docker-registry --version 2>/dev/null | awk '{print $3}') serving $REG_CONF (log: $WORK/registry.log)"
fi

# ---- 4. terraform -----------------------------------------------------------
step_begin "4/9 terraform"
command -v terraform >/dev/null 2>&1 || die "terraform is not on PATH (install Terraform >= 1.5 first)"
TF_VER=$(terraform version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([^"]*\)".*/\1/p' | head -n1)
[ -n "$TF_VER" ] || die "could not read 'terraform version' from $(command -v terraform)"
step_end "terraform $TF_VER at $(command -v terraform)"

# ---- provider helpers -----------------------------------------------------------
GO_BIN=""
if command -v go >/dev/null 2>&1; then GO_BIN=$(command -v go)
elif [ -x /usr/local/go/bin/go ]; then GO_BIN=/usr/local/go/bin/go
fi
PROV_SRC="$E2E_DIR/provider"
MIRROR="$WORK/plugins"
TFRC="$WORK/terraformrc"
platform="linux_amd64"
[ -n "$GO_BIN" ] && platform="$("$GO_BIN" env GOOS)_$("$GO_BIN" env GOARCH)"
# mirror_bin VERSION: where Terraform's filesystem mirror expects that provider binary.
mirror_bin() { echo "$MIRROR/$PROVIDER_SOURCE/$1/$platform/terraform-provider-docker_v$1"; }

# The Terraform CLI configuration: the docker provider only from our mirror, nothing
# else from the network either (direct excludes it; other providers are not used).
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
mkdir -p "$MIRROR"
if [ ! -f "$TFRC" ] || [ "$(cat "$TFRC")" != "$tfrc_new" ]; then
  printf '%s\n' "$tfrc_new" >"$TFRC"
fi
# Explicit, for every terraform run below (the caller's value may name a missing file).
export TF_CLI_CONFIG_FILE="$TFRC"
export CHECKPOINT_DISABLE=1

# verify_provider VERSION TARGET: a real init / apply / plan -detailed-exitcode / destroy
# of one docker_network with provider VERSION from the mirror against engine TARGET
# (main: unix socket; engine2: TLS over tcp with cert_path; ssh: ssh:// to the main
# engine). Done once per (binary, terraform, target, its credentials); sets VERIFY_NOTE.
verify_provider() {
  local ver=$1 target=$2 bin dir net log stamp provider dk prc
  bin=$(mirror_bin "$ver")
  dir="$WORK/provider-check/$ver-$target"
  net="cdktf-e2e-setup-probe-$ver"
  log="$LOGS/provider-check-$ver-$target.log"
  case $target in
    main)
      provider='{ "host": "unix:///var/run/docker.sock" }'; dk=dk_main
      stamp="$(sha256sum "$bin" | cut -d' ' -f1) terraform-$TF_VER main" ;;
    engine2)
      provider="{ \"host\": \"$ENGINE2_HOST\", \"cert_path\": \"$TLS_CLIENT\" }"; dk=dk_engine2
      stamp="$(sha256sum "$bin" | cut -d' ' -f1) terraform-$TF_VER engine2 $(sha256sum "$TLS_CLIENT/cert.pem" | cut -d' ' -f1)" ;;
    ssh)
      provider="{ \"host\": \"$SSH_URL\", \"ssh_opts\": [\"-F\", \"$SSH_CONFIG\"] }"; dk=dk_main
      stamp="$(sha256sum "$bin" | cut -d' ' -f1) terraform-$TF_VER ssh $(cat "$SSH_CONFIG" "$SSH_KEY.pub" | sha256sum | cut -d' ' -f1)" ;;
    *) die "verify_provider: unknown target $target" ;;
  esac
  if [ -f "$dir/.verified" ] && [ "$(cat "$dir/.verified")" = "$stamp" ]; then
    VERIFY_NOTE="$ver on $target verified earlier"
    return 0
  fi
  rm -rf "$dir" && mkdir -p "$dir"
  cat >"$dir/main.tf.json" <<EOF
{
  "terraform": {
    "required_providers": {
      "docker": { "source": "kreuzwerker/docker", "version": "$ver" }
    }
  },
  "provider": { "docker": $provider },
  "resource": {
    "docker_network": { "probe": { "name": "$net" } }
  }
}
EOF
  : >"$log"
  tf() { (cd "$dir" && TF_IN_AUTOMATION=1 terraform "$@" -no-color) >>"$log" 2>&1; }
  $dk network rm "$net" >/dev/null 2>&1 || true
  tf init -input=false || die "provider $ver: terraform init against the filesystem mirror failed: $(grep -m1 -i error "$log" || tail -n1 "$log") (log: $log)"
  tf apply -auto-approve -input=false || die "provider $ver on $target: terraform apply of the probe docker_network failed: $(grep -m1 -i error "$log" || tail -n1 "$log") (log: $log)"
  $dk network inspect "$net" >/dev/null 2>&1 || { tf destroy -auto-approve -input=false || true; die "provider $ver on $target: terraform apply succeeded but the engine has no network $net"; }
  prc=0; tf plan -detailed-exitcode -input=false || prc=$?
  if [ "$prc" != 0 ]; then
    tf destroy -auto-approve -input=false || true
    die "provider $ver on $target: terraform plan after apply is not empty (detailed exit code $prc; log: $log)"
  fi
  tf destroy -auto-approve -input=false || die "provider $ver on $target: terraform destroy of the probe docker_network failed (log: $log)"
  if $dk network inspect "$net" >/dev/null 2>&1; then die "provider $ver on $target: terraform destroy left network $net behind"; fi
  echo "$stamp" >"$dir/.verified"
  VERIFY_NOTE="$ver on $target: init/apply/plan/destroy ok (log: $log)"
}

# ---- 5. docker provider from source + filesystem mirror --------------------
step_begin "5/9 provider kreuzwerker/docker $PROVIDER_VERSION"
PROV_BIN=$(mirror_bin "$PROVIDER_VERSION")
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
  [ -n "$GO_BIN" ] || die "go not found (need Go >= 1.25 on PATH or at /usr/local/go/bin/go) to build the provider"
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
verify_provider "$PROVIDER_VERSION" main
PROVIDER_VERSIONS="$PROVIDER_VERSION"
step_end "$build_note; $VERIFY_NOTE"

# ---- 6. older provider line, only if its binary is already there -----------------
step_begin "6/9 provider kreuzwerker/docker $OLD_PROVIDER_VERSION (optional)"
OLD_BIN=$(mirror_bin "$OLD_PROVIDER_VERSION")
old_note=""
if [ -n "${E2E_EXTRA_PROVIDER_MIRROR:-}" ]; then
  # Either a Terraform filesystem mirror (unpacked layout) or a folder with the binary.
  x="$E2E_EXTRA_PROVIDER_MIRROR"
  [ -d "$x" ] || die "E2E_EXTRA_PROVIDER_MIRROR=$x is not a folder"
  src=""
  for c in "$x/$PROVIDER_SOURCE/$OLD_PROVIDER_VERSION/$platform/terraform-provider-docker_v$OLD_PROVIDER_VERSION" \
           "$x/terraform-provider-docker_v$OLD_PROVIDER_VERSION"; do
    if [ -f "$c" ]; then src=$c; break; fi
  done
  [ -n "$src" ] || die "E2E_EXTRA_PROVIDER_MIRROR=$x holds no terraform-provider-docker_v$OLD_PROVIDER_VERSION (looked in $PROVIDER_SOURCE/$OLD_PROVIDER_VERSION/$platform/ and at the top)"
  if ! cmp -s "$src" "$OLD_BIN"; then
    mkdir -p "$(dirname "$OLD_BIN")"
    install -m 0755 "$src" "$OLD_BIN.tmp" && mv -f "$OLD_BIN.tmp" "$OLD_BIN"
    old_note="copied from $src; "
  fi
fi
if [ -f "$OLD_BIN" ]; then
  [ -x "$OLD_BIN" ] || die "$OLD_BIN is not executable"
  # Release builds carry -X main.version=<version> in their build info: when it is there,
  # it must say $OLD_PROVIDER_VERSION (a renamed binary of another version is refused).
  if [ -n "$GO_BIN" ]; then
    built_as=$("$GO_BIN" version -m "$OLD_BIN" 2>/dev/null | sed -n 's/.*-X main\.version=\([^ "]*\).*/\1/p' | head -n1)
    [ -z "$built_as" ] || [ "$built_as" = "$OLD_PROVIDER_VERSION" ] \
      || die "$OLD_BIN was built as version $built_as, not $OLD_PROVIDER_VERSION (remove it)"
  fi
  verify_provider "$OLD_PROVIDER_VERSION" main
  PROVIDER_VERSIONS="$PROVIDER_VERSIONS $OLD_PROVIDER_VERSION"
  step_end "${old_note}$VERIFY_NOTE"
else
  echo "[e2e-setup]   provider $OLD_PROVIDER_VERSION: not present (the Go module proxy refuses its source with 403); e2e runs against $PROVIDER_VERSION only"
  step_end "skipped"
fi

# ---- 7. TLS material for engine2 ---------------------------------------------------
step_begin "7/9 TLS material in $TLS_DIR"
TLS_CA="$TLS_DIR/ca"
# Complete, consistent, valid for 30 more days, SANs right, keys 0600.
tls_ok() {
  local f d
  for f in "$TLS_CA/ca.pem" "$TLS_CA/ca-key.pem"; do [ -f "$f" ] || return 1; done
  for d in "$TLS_SERVER" "$TLS_CLIENT"; do
    [ "$(cd "$d" 2>/dev/null && ls -A | sort | tr '\n' ' ')" = "ca.pem cert.pem key.pem " ] || return 1
    cmp -s "$d/ca.pem" "$TLS_CA/ca.pem" || return 1
    [ "$(stat -c %a "$d/key.pem")" = 600 ] || return 1
    [ "$(openssl x509 -in "$d/cert.pem" -noout -pubkey 2>/dev/null)" = "$(openssl pkey -in "$d/key.pem" -pubout 2>/dev/null)" ] || return 1
    openssl x509 -in "$d/cert.pem" -noout -checkend 2592000 >/dev/null 2>&1 || return 1
  done
  [ "$(stat -c %a "$TLS_CA/ca-key.pem")" = 600 ] || return 1
  openssl x509 -in "$TLS_CA/ca.pem" -noout -checkend 2592000 >/dev/null 2>&1 || return 1
  openssl verify -CAfile "$TLS_CA/ca.pem" "$TLS_SERVER/cert.pem" "$TLS_CLIENT/cert.pem" >/dev/null 2>&1 || return 1
  openssl x509 -in "$TLS_SERVER/cert.pem" -noout -ext subjectAltName 2>/dev/null \
    | grep -q "DNS:localhost, IP Address:127.0.0.1, IP Address:$ENGINE2_IP$" || return 1
}
# new_cert DIR CN EXTENSIONS: key + certificate signed by the CA, and a copy of ca.pem.
new_cert() {
  local dir=$1 cn=$2 ext=$3 tlog="$LOGS/tls.log"
  mkdir -p "$dir"
  openssl req -new -newkey rsa:2048 -nodes -subj "/CN=$cn" \
    -keyout "$dir/key.pem" -out "$dir/csr.pem" >>"$tlog" 2>&1 \
    && openssl x509 -req -sha256 -days 825 -in "$dir/csr.pem" \
      -CA "$TLS_CA.new/ca.pem" -CAkey "$TLS_CA.new/ca-key.pem" -set_serial "0x$(openssl rand -hex 16)" \
      -extfile <(printf '%b' "$ext") -out "$dir/cert.pem" >>"$tlog" 2>&1 \
    || die "openssl could not issue the certificate for $cn (log: $tlog)"
  rm -f "$dir/csr.pem"
  cp "$TLS_CA.new/ca.pem" "$dir/ca.pem"
}
TLS_CHANGED=0
if tls_ok; then
  step_end "present and valid (CA, server SAN 127.0.0.1/localhost/$ENGINE2_IP, client)"
else
  rm -rf "$TLS_DIR.new" "$TLS_CA.new" && mkdir -p "$TLS_DIR.new"
  (
    umask 077
    mkdir -p "$TLS_CA.new"
    openssl req -x509 -new -newkey rsa:2048 -nodes -sha256 -days 3650 \
      -subj "/CN=cdktf-docker-production e2e CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
      -keyout "$TLS_CA.new/ca-key.pem" -out "$TLS_CA.new/ca.pem" >>"$LOGS/tls.log" 2>&1 \
      || die "openssl could not create the CA (log: $LOGS/tls.log)"
    new_cert "$TLS_DIR.new/server" "localhost" \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1,IP:$ENGINE2_IP\n"
    new_cert "$TLS_DIR.new/client" "cdktf-e2e-client" \
      "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=clientAuth\n"
  ) || exit 1
  mv "$TLS_CA.new" "$TLS_DIR.new/ca"
  chmod 0644 "$TLS_DIR.new"/*/ca.pem "$TLS_DIR.new"/*/cert.pem
  chmod 0600 "$TLS_DIR.new"/*/key.pem "$TLS_DIR.new/ca/ca-key.pem"
  chmod 0755 "$TLS_DIR.new" "$TLS_DIR.new"/*
  rm -rf "$TLS_DIR" && mv "$TLS_DIR.new" "$TLS_DIR"
  tls_ok || die "generated TLS material in $TLS_DIR does not pass its own check"
  TLS_CHANGED=1
  step_end "generated CA, server certificate (SAN DNS:localhost IP:127.0.0.1 IP:$ENGINE2_IP), client certificate"
fi

# ---- 8. engine2 -------------------------------------------------------------------
step_begin "8/9 engine2 on $ENGINE2_HOST (TLS, netns $ENGINE2_NETNS)"
e2_note=""
# New certificates: a running engine2 still holds the old ones.
if [ "$TLS_CHANGED" = 1 ] && engine2_pid >/dev/null; then
  engine_stop_engine2 || die "$ENGINE_ERR"
  e2_note="stopped for new certificates; "
fi
if engine2_up && engine2_forward_up && engine2_registry_up && engine2_tls_up; then
  e2_note="${e2_note}already running"
else
  engine_start_engine2 || die "$ENGINE_ERR"
  e2_note="${e2_note}started (log: $ENGINE2_LOG)"
fi
# The base image, as the main engine has it (docker save | docker load keeps the id).
main_img=$(dk_main image inspect -f '{{.Id}}' "$BUSYBOX_IMAGE") || die "main engine lost $BUSYBOX_IMAGE"
e2_img=$(dk_engine2 image inspect -f '{{.Id}}' "$BUSYBOX_IMAGE" 2>/dev/null || true)
if [ "$main_img" != "$e2_img" ]; then
  dk_main save "$BUSYBOX_IMAGE" | dk_engine2 load >/dev/null || die "could not load $BUSYBOX_IMAGE into engine2 (docker save | docker load)"
  e2_note="$e2_note; $BUSYBOX_IMAGE loaded"
fi

# Proof that engine2 is a working engine, over the TLS endpoint: a user-defined bridge
# network, a web container reached by name from a second container, ports published on
# $ENGINE2_IP and on 0.0.0.0 answering from the host, a pull from the local registry.
# Once per engine2 process.
PROOF_NET="cdktf-e2e-setup-proof"
PROOF_WEB="cdktf-e2e-setup-web"
PROOF_STAMP="$ENGINE2_RUN/engine2.proven"
PROOF_REF="$REGISTRY_ADDR/cdktf-e2e-setup/busybox:proof"
proof_cleanup() {
  dk_engine2 rm -f "$PROOF_WEB" >/dev/null 2>&1 || true
  dk_engine2 network rm "$PROOF_NET" >/dev/null 2>&1 || true
  dk_engine2 image rm "$PROOF_REF" >/dev/null 2>&1 || true
  dk_main image rm "$PROOF_REF" >/dev/null 2>&1 || true
}
proof_fail() { proof_cleanup; die "engine2 proof: $*"; }
engine2_proof() {
  local out="" url
  proof_cleanup
  # --tlsverify in effect: without a client certificate the handshake must fail.
  if curl -sS -m 3 --cacert "$TLS_CLIENT/ca.pem" "https://127.0.0.1:$ENGINE2_PORT/_ping" >/dev/null 2>&1; then
    proof_fail "$ENGINE2_HOST answers without a client certificate (--tlsverify not in effect)"
  fi
  dk_engine2_tls network create --driver bridge "$PROOF_NET" >/dev/null \
    || proof_fail "docker network create over $ENGINE2_HOST failed"
  dk_engine2_tls run -d --name "$PROOF_WEB" --network "$PROOF_NET" \
    -p "$ENGINE2_IP:18080:8080" -p "18081:8080" \
    "$BUSYBOX_IMAGE" httpd -f -p 8080 -h /var/www >/dev/null \
    || proof_fail "docker run of the httpd container failed"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    out=$(dk_engine2_tls run --rm --network "$PROOF_NET" "$BUSYBOX_IMAGE" \
      wget -q -O- "http://$PROOF_WEB:8080/" 2>&1) && break
    sleep 0.5
  done
  echo "$out" | grep -q "cdktf-docker-production e2e" \
    || proof_fail "wget http://$PROOF_WEB:8080/ from a second container on $PROOF_NET failed: $(echo "$out" | tail -n1)"
  for url in "http://$ENGINE2_IP:18080/" "http://$ENGINE2_IP:18081/"; do
    out=$(curl -fsS -m 5 "$url" 2>&1) && echo "$out" | grep -q "cdktf-docker-production e2e" \
      || proof_fail "published port $url does not answer from the host: $(echo "$out" | tail -n1)"
  done
  # The registry under the same address for both engines: push from main, pull on engine2.
  dk_main tag "$BUSYBOX_IMAGE" "$PROOF_REF" && dk_main push "$PROOF_REF" >/dev/null 2>&1 \
    || proof_fail "docker push $PROOF_REF from the main engine failed"
  out=$(dk_engine2_tls pull "$PROOF_REF" 2>&1) \
    || proof_fail "engine2 cannot pull $PROOF_REF through the registry bridge: $(echo "$out" | tail -n1)"
  proof_cleanup
}
e2_pid=$(engine2_pid) || die "engine2 answers but $ENGINE2_PIDFILE names no running dockerd"
if [ "$(cat "$PROOF_STAMP" 2>/dev/null)" = "$e2_pid $main_img" ]; then
  e2_note="$e2_note; proven earlier (pid $e2_pid)"
else
  engine2_proof
  echo "$e2_pid $main_img" >"$PROOF_STAMP"
  e2_note="$e2_note; proven: bridge network, name resolution, published ports, registry pull, --tlsverify"
fi
for v in $PROVIDER_VERSIONS; do
  verify_provider "$v" engine2
  e2_note="$e2_note; provider $VERIFY_NOTE"
done
step_end "$e2_note"

# ---- 9. ssh route to the main engine -------------------------------------------------
# An sshd of our own (Debian's openssh-server binary, our config, our host key, only
# 127.0.0.1:$SSH_PORT, only root with the generated key), so a provider can use
# host = "ssh://root@127.0.0.1:$SSH_PORT" with ssh_opts = ["-F", "<E2E_SSH_CONFIG>"];
# the remote end runs `docker system dial-stdio` against the main engine.
step_begin "9/9 ssh route ssh://root@127.0.0.1:$SSH_PORT"
SSH_DIR="$WORK/ssh"
SSHD_CONFIG="$SSH_DIR/sshd_config"
SSH_CONFIG="$SSH_DIR/ssh_config"
SSH_KEY="$SSH_DIR/id_ed25519"
SSHD_PIDFILE="$ENGINE2_RUN/sshd.pid"
SSHD_LOG="$WORK/sshd.log"
SSH_URL="ssh://root@127.0.0.1:$SSH_PORT"
[ -x /usr/sbin/sshd ] || apt_install openssh-server
command -v ssh >/dev/null 2>&1 || apt_install openssh-client
mkdir -p "$SSH_DIR" "$ENGINE2_RUN" && chmod 0700 "$SSH_DIR"
mkdir -p /run/sshd && chmod 0755 /run/sshd   # sshd's privilege separation directory
[ -f "$SSH_DIR/host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "cdktf-e2e sshd" -f "$SSH_DIR/host_ed25519_key" \
  || die "ssh-keygen of the sshd host key failed"
[ -f "$SSH_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C "cdktf-e2e client" -f "$SSH_KEY" \
  || die "ssh-keygen of the client key failed"
# sshd (StrictModes) refuses an authorized_keys file under a world-writable folder, and the
# checkout may live under /tmp: the file goes to the root-owned run folder instead.
SSH_AUTHORIZED="$ENGINE2_RUN/authorized_keys"
cp "$SSH_KEY.pub" "$SSH_AUTHORIZED" && chmod 0600 "$SSH_AUTHORIZED"
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1,2 "$SSH_DIR/host_ed25519_key.pub")" >"$SSH_DIR/known_hosts"
sshd_new=$(cat <<EOF
# Written by e2e/setup.sh - sshd for the e2e tier's ssh:// route (loopback, key only).
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $SSH_DIR/host_ed25519_key
PidFile $SSHD_PIDFILE
AuthorizedKeysFile $SSH_AUTHORIZED
AllowUsers root
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
X11Forwarding no
PrintMotd no
EOF
)
ssh_new=$(cat <<EOF
# Written by e2e/setup.sh - use with: ssh -F $SSH_CONFIG ... (provider: ssh_opts = ["-F", "$SSH_CONFIG"])
Host 127.0.0.1
  User root
  Port $SSH_PORT
  IdentityFile $SSH_KEY
  IdentitiesOnly yes
  UserKnownHostsFile $SSH_DIR/known_hosts
  StrictHostKeyChecking yes
  BatchMode yes
  ConnectTimeout 10
EOF
)
sshd_changed=0
if [ ! -f "$SSHD_CONFIG" ] || [ "$(cat "$SSHD_CONFIG")" != "$sshd_new" ]; then
  printf '%s\n' "$sshd_new" >"$SSHD_CONFIG"; sshd_changed=1
fi
[ -f "$SSH_CONFIG" ] && [ "$(cat "$SSH_CONFIG")" = "$ssh_new" ] || printf '%s\n' "$ssh_new" >"$SSH_CONFIG"
/usr/sbin/sshd -t -f "$SSHD_CONFIG" >>"$SSHD_LOG" 2>&1 || die "sshd -t rejects $SSHD_CONFIG: $(tail -n1 "$SSHD_LOG")"
sshd_pid() { pidfile_pid "$SSHD_PIDFILE" sshd; }
ssh_ok() { ssh -F "$SSH_CONFIG" 127.0.0.1 docker version --format '{{.Server.Version}}' </dev/null; }
ssh_note=""
if [ "$sshd_changed" = 1 ] && pid=$(sshd_pid); then
  stop_pid "$pid" sshd || die "$ENGINE_ERR"
fi
if sshd_pid >/dev/null && ssh_ok >/dev/null 2>&1; then
  ssh_note="sshd already running"
else
  if pid=$(sshd_pid); then stop_pid "$pid" sshd || die "$ENGINE_ERR"; fi
  ss_listens "$SSH_PORT" && die "127.0.0.1:$SSH_PORT is taken by another program (set SSH_PORT at the top of e2e/setup.sh)"
  # -E: log to a file; sshd daemonizes and writes its pid file.
  env -i PATH="$ENGINE_PATH" /usr/sbin/sshd -f "$SSHD_CONFIG" -E "$SSHD_LOG" </dev/null \
    || die "sshd did not start: $(tail -n1 "$SSHD_LOG")"
  engine_wait 10 ssh_ok || die "ssh -F $SSH_CONFIG 127.0.0.1 docker version failed: $(ssh_ok 2>&1 | tail -n1) (sshd log: $SSHD_LOG)"
  ssh_note="sshd started (log: $SSHD_LOG)"
fi
# The provider itself over ssh://, once per (binary, terraform).
verify_provider "$PROVIDER_VERSION" ssh
step_end "$ssh_note; provider $VERIFY_NOTE"

# ---- environment for the tests ---------------------------------------------
cat >"$WORK/env.sh.tmp" <<EOF
# Written by e2e/setup.sh after a complete successful run - source it: . e2e/.work/env.sh
export TF_CLI_CONFIG_FILE="$TFRC"
export CHECKPOINT_DISABLE=1
export E2E_BUSYBOX_IMAGE="$BUSYBOX_IMAGE"
export E2E_REGISTRY="$REGISTRY_ADDR"
export E2E_PROVIDER_VERSIONS="$PROVIDER_VERSIONS"
export E2E_ENGINE2_HOST="$ENGINE2_HOST"
export E2E_ENGINE2_SOCKET="unix://$ENGINE2_SOCK"
export E2E_ENGINE2_CERT_PATH="$TLS_CLIENT"
export E2E_ENGINE2_IP="$ENGINE2_IP"
export E2E_ENGINE_SCRIPT="$E2E_DIR/engine.sh"
export E2E_SSH_HOST="$SSH_URL"
export E2E_SSH_CONFIG="$SSH_CONFIG"
export E2E_READY=1
EOF
mv -f "$WORK/env.sh.tmp" "$WORK/env.sh"
echo "[e2e-setup] all steps done in $(since "$T_ALL")s. Environment (also in $WORK/env.sh):"
grep '^export' "$WORK/env.sh"

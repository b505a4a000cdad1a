#!/usr/bin/env bash
# The Go part of lang/run.sh: checks the generated Go module (dist/go/cdktfdockerproduction) and
# runs the Go reference app's test (lang/go/app) against it.
#
# The Go module proxy serves cdktf's own module (github.com/hashicorp/terraform-cdk-go/cdktf
# v0.21.0) but refuses the provider bindings' module this library depends on
# (github.com/cdktf/cdktf-provider-docker-go/docker/v12 v12.0.3: 403 Forbidden, "This module
# version is not available", checked 2026-12-01). So:
#  1. gofmt finds nothing to reformat in the generated module (it parses every file);
#  2. the proxy's answer for each dependency is printed (a changed answer shows here);
#  3. a refused provider module is generated from the npm package's jsii assembly with the same
#     jsii-pacmak (lang/.work/go-peers) and a copy of the module points at it with `replace`;
#     then `go mod tidy`, `go build ./...` and `go vet ./...` run on it;
#  4. lang/go/app (the reference app in Go) is tested in a module of its own that replaces this
#     library (and the refused provider module) with the local sources: `go vet` and `go test`
#     (its synthesized JSON equals the TypeScript app's; a bad prop panics with an error naming
#     the construct path and the prop).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$ROOT/lang/.work
MOD=dist/go/cdktfdockerproduction
[ -f "$MOD/go.mod" ] || { echo "go: no $MOD/go.mod; run npm run package first" >&2; exit 1; }
module=$(awk '/^module /{print $2}' "$MOD/go.mod")
echo "go: module $module ($(find "$MOD" -name '*.go' | wc -l) .go files)"

unformatted=$(gofmt -l "$MOD")
if [ -n "$unformatted" ]; then echo "go: gofmt would reformat:"; echo "$unformatted"; exit 1; fi
echo "go: gofmt -l: nothing to reformat"

refused=()
while read -r dep version; do
  if answer=$(cd "$WORK" && GOFLAGS=-mod=mod go list -m -json "$dep@$version" 2>&1); then
    echo "go: proxy serves $dep@$version"
  else
    echo "go: proxy refuses $dep@$version: $(echo "$answer" | tr '\n' ' ')"
    refused+=("$dep")
  fi
done < <(awk '/^require \(/{r=1;next} r&&/^\)/{r=0} r{print $1, $2}' "$MOD/go.mod")

rm -rf "$WORK/go-check" && mkdir -p "$WORK/go-check" && cp -r "$MOD/." "$WORK/go-check/"
for dep in "${refused[@]}"; do
  case "$dep" in
    github.com/cdktf/cdktf-provider-docker-go/docker/*)
      node_modules/.bin/jsii-pacmak node_modules/@cdktf/provider-docker --targets go --code-only \
        -o "$WORK/go-peers" --no-npmignore --pack-command "npm pack --ignore-scripts"
      (cd "$WORK/go-check" && go mod edit -replace "$dep=$WORK/go-peers/go/docker")
      echo "go: $dep replaced by the Go source generated from node_modules/@cdktf/provider-docker"
      ;;
    *)
      echo "go: no local source for $dep: only gofmt was checked"
      exit 0
      ;;
  esac
done
(cd "$WORK/go-check" && go mod tidy && go build ./... && go vet ./...)
echo "go: go build ./... and go vet ./... pass on the module"

# The reference app in Go, in a module of its own next to the copy.
APP=$WORK/go-app
rm -rf "$APP" && mkdir -p "$APP" && cp lang/go/app/*.go "$APP/"
(
  cd "$APP"
  go mod init example.com/referenceapp >/dev/null 2>&1
  go mod edit -replace "$module=$WORK/go-check"
  for dep in "${refused[@]}"; do go mod edit -replace "$dep=$WORK/go-peers/go/docker"; done
  go mod tidy
  go vet ./...
  status=0
  REPO_ROOT=$ROOT go test -count=1 -v ./... > "$WORK/go-test.log" 2>&1 || status=$?
  grep -E '^(--- |ok|FAIL)' "$WORK/go-test.log" || true
  if [ "$status" -ne 0 ]; then grep -v '^!!' "$WORK/go-test.log"; exit 1; fi
)
echo "go: the reference app's tests pass (lang/go/app)"

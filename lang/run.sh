#!/usr/bin/env bash
# The language tier: the library as a Python, Java and Go app gets it.
#   bash lang/run.sh [package] [python] [java] [go]     (no argument: all four, in that order)
# package: `npm run package` (dist/js, dist/python, dist/java, dist/go);
# python:  pytest in a fresh virtual environment with the built wheel, cdktf and the docker provider
#          bindings from PyPI at the versions of package.json's devDependencies (lang/python);
# java:    a Maven project with the jsii runtime, cdktf and the provider bindings, and the built
#          library from dist/java (lang/java);
# go:      checks the generated module (lang/go/check.sh).
# Each part prints its time. Scratch files go to lang/.work/ (git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WORK=$ROOT/lang/.work
mkdir -p "$WORK"
export CHECKPOINT_DISABLE=1
NODE=${NODE:-$(command -v node)}
export NODE
dev() { node -p "require('./package.json').devDependencies['$1']"; }
parts=("$@")
[ ${#parts[@]} -gt 0 ] || parts=(package python java go)

for part in "${parts[@]}"; do
  T=$SECONDS
  case "$part" in
    package)
      npm run package
      ;;
    python)
      wheel=$(ls dist/python/*.whl)
      rm -rf "$WORK/venv"
      python3 -m venv "$WORK/venv"
      "$WORK/venv/bin/pip" install --quiet --disable-pip-version-check \
        "$wheel" "cdktf==$(dev cdktf)" "cdktf-cdktf-provider-docker==$(dev @cdktf/provider-docker)" "pytest==8.4.2"
      "$WORK/venv/bin/python" -m pytest -q -p no:cacheprovider lang/python/test_reference_app.py
      ;;
    java)
      bash lang/java/run.sh
      ;;
    go)
      bash lang/go/check.sh
      ;;
    *)
      echo "lang/run.sh: unknown part $part (package, python, java, go)" >&2
      exit 2
      ;;
  esac
  echo "== lang/run.sh $part: $((SECONDS - T)) s"
done

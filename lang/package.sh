#!/usr/bin/env bash
# `npm run package`: the jsii build, then under dist/ the npm tarball (dist/js), the Python wheel and
# sdist (dist/python), the Maven artifact (dist/java, a Maven repository layout) and the Go module
# source (dist/go). No .NET package: no dotnet toolchain is expected here (say so when there is one).
#
# Java: the library's jar compiles against com.hashicorp:cdktf 0.21.0 and
# com.hashicorp:cdktf-provider-docker 12.0.3. When Maven Central does not serve them (checked
# 2026-12-01: cdktf stops at 0.19.2, cdktf-provider-docker at 2.0.30), lang/java/peers.sh builds
# their jars from the npm packages' jsii assemblies with the same jsii-pacmak, into
# node_modules/<peer>/dist/java, where jsii-pacmak (and lang/run.sh's Java test) look for them.
#
# Go: the module is generated, not built (`--code-only`): jsii-pacmak's Go build runs `go mod tidy`,
# and the Go module proxy refuses github.com/cdktf/cdktf-provider-docker-go/docker/v12 v12.0.3
# (403). lang/go/check.sh builds, vets and tests it against that module generated locally.
set -euo pipefail
cd "$(dirname "$0")/.."
T0=$SECONDS
PACK=(--no-npmignore --pack-command "npm pack --ignore-scripts")
# One Maven cache for jsii-pacmak's builds and lang/java/run.sh (pacmak's default is a fresh one per run).
export MAVEN_LOCAL_REPOSITORY=$PWD/lang/.work/m2

npm run build
T1=$SECONDS
bash lang/java/peers.sh
T2=$SECONDS
node_modules/.bin/jsii-pacmak --targets js python java --maven-local-repository "$MAVEN_LOCAL_REPOSITORY" "${PACK[@]}"
T3=$SECONDS
node_modules/.bin/jsii-pacmak --targets go --code-only "${PACK[@]}"
# jsii-pacmak 1.140.0 leaves a trailing blank line at the end of some generated files (Errors.go...);
# its Go build does not format either. gofmt also parses every file: a syntax error fails here.
gofmt -w dist/go
T4=$SECONDS
echo "package: build $((T1 - T0)) s, Java peers $((T2 - T1)) s, js+python+java $((T3 - T2)) s, go code $((T4 - T3)) s; total $((T4 - T0)) s"
find dist/js dist/python dist/java dist/go -maxdepth 6 \( -name '*.tgz' -o -name '*.whl' -o -name '*.tar.gz' -o -name '*.jar' -o -name go.mod \) | sort

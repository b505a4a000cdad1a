#!/usr/bin/env bash
# Makes the Java jars of the two peers the library compiles against available to Maven:
# com.hashicorp:cdktf (the npm package cdktf) and com.hashicorp:cdktf-provider-docker
# (@cdktf/provider-docker), at the versions of package.json's devDependencies. For each one that
# Maven Central does not serve, its jar is built from the npm package's jsii assembly with
# jsii-pacmak into node_modules/<package>/dist/java (a Maven repository layout), which jsii-pacmak
# adds as a repository when building this library; lang/run.sh's Java test reads it too.
set -euo pipefail
cd "$(dirname "$0")/../.."
CENTRAL=${MAVEN_CENTRAL:-https://repo.maven.apache.org/maven2}
build=()
for pkg in cdktf @cdktf/provider-docker; do
  read -r group artifact version < <(node -e '
    const p = require(process.argv[1] + "/package.json");
    const m = p.jsii.targets.java.maven;
    console.log(m.groupId, m.artifactId, p.version);' "$pkg")
  pom="$CENTRAL/${group//.//}/$artifact/$version/$artifact-$version.pom"
  status=$(curl -s -o /dev/null -w '%{http_code}' "$pom" || true)
  if [ "$status" = 200 ]; then
    echo "java peers: $group:$artifact:$version is on Maven Central"
  elif [ -f "node_modules/$pkg/dist/java/${group//.//}/$artifact/$version/$artifact-$version.jar" ]; then
    echo "java peers: $group:$artifact:$version built before (node_modules/$pkg/dist/java); Maven Central answered $status"
  else
    echo "java peers: Maven Central answered $status for $group:$artifact:$version; building it from node_modules/$pkg"
    build+=("node_modules/$pkg")
  fi
done
if [ ${#build[@]} -gt 0 ]; then
  node_modules/.bin/jsii-pacmak "${build[@]}" --targets java --no-npmignore --pack-command "npm pack --ignore-scripts" \
    --maven-local-repository "${MAVEN_LOCAL_REPOSITORY:-$PWD/lang/.work/m2}"
fi

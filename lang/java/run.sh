#!/usr/bin/env bash
# The Java test (lang/java): Maven resolves the built library from dist/java, cdktf and the provider
# bindings from Maven Central or, where Central lacks the version, from the jars lang/java/peers.sh
# built (node_modules/<peer>/dist/java), and the jsii runtime and JUnit from Central.
# Maven's local repository is lang/.work/m2, with this library's entry removed first (a rebuilt
# 0.1.0 would otherwise be shadowed by the cached one).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
WORK=$ROOT/lang/.work
mkdir -p "$WORK/m2"
read -r LIB CDKTF PROVIDER CONSTRUCTS GROUP < <(node -e '
  const p = require("./package.json");
  console.log(p.version, p.devDependencies.cdktf, p.devDependencies["@cdktf/provider-docker"], p.devDependencies.constructs,
    p.jsii.targets.java.maven.groupId);')
[ -d dist/java ] || { echo "lang/java/run.sh: no dist/java; run npm run package first" >&2; exit 1; }
rm -rf "$WORK/m2/${GROUP//.//}"
repos=""
for dir in "$ROOT/dist/java" "$ROOT/node_modules/cdktf/dist/java" "$ROOT/node_modules/@cdktf/provider-docker/dist/java"; do
  [ -d "$dir" ] || continue
  id=$(echo "$dir" | tr -c 'a-zA-Z0-9\n' '-')
  repos+="<repository><id>$id</id><url>file://$dir</url></repository>"
done
cat > "$WORK/java-settings.xml" <<XML
<settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
  <localRepository>$WORK/m2</localRepository>
  <interactiveMode>false</interactiveMode>
  <profiles><profile><id>local</id><repositories>$repos</repositories></profile></profiles>
  <activeProfiles><activeProfile>local</activeProfile></activeProfiles>
</settings>
XML
mvn -B -q -f lang/java/pom.xml -s "$WORK/java-settings.xml" \
  -Dlibrary.version="$LIB" -Dcdktf.version="$CDKTF" -Dprovider.version="$PROVIDER" -Dconstructs.version="$CONSTRUCTS" \
  test
echo "java: $(grep -ho 'tests="[0-9]*"[^>]*failures="[0-9]*"' lang/java/target/surefire-reports/*.xml | head -1)"

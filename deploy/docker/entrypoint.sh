#!/usr/bin/env bash
# Entry point of the JVM image: the container JVM flags, the AOT cache trained at image build time, then
# the gateway. Extra JVM flags go in JAVA_OPTS; JAVA_OPTS_BASE (set in the Dockerfile) may be replaced
# whole, e.g. to switch to G1. GATEWAY_AOT_CACHE=off starts without the cache (for comparisons).
set -euo pipefail
app=${APP_DIR:-/app}
aot=()
if [ "${GATEWAY_AOT_CACHE:-on}" != off ] && [ -f "$app/app.aot" ]; then
    aot=(-XX:AOTCache="$app/app.aot")
fi
# shellcheck disable=SC2086 # JAVA_OPTS_BASE and JAVA_OPTS are lists of flags
exec java ${JAVA_OPTS_BASE:-} "${aot[@]}" ${JAVA_OPTS:-} -jar "$app/quarkus-run.jar" "$@"

#!/usr/bin/env bash
# Start-up time of the JVM gateway to its first served chat completion, with and without the JDK 25
# AOT cache (JEP 483/514), several runs each. Writes a table into docs/performance.md (## Start-up).
#
#   bench/startup.sh                # build, train, measure, update docs/performance.md
#   RUNS=10 bench/startup.sh        # more runs per variant (default 7, after one discarded warm-up)
#   NO_BUILD=1 bench/startup.sh     # reuse gateway/target/quarkus-app, gateway/target/quarkus-aot-app
#                                   # and simulator/target/bedrock-simulator.jar
#   NO_DOCS=1 bench/startup.sh      # print the table only
#
# A run = launch `java ... -jar quarkus-run.jar` against the stand-alone Bedrock simulator (one process,
# started once), poll POST /v1/chat/completions every 5 ms until it answers 200, record the milliseconds
# from launch to that 200, stop the JVM. The aot-jar is built like the container image (management
# interface on: /q/* on a port of its own). Everything stays on 127.0.0.1. Needs the Temurin 25 JDK
# (JAVA25).
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-7}
JAVA17=${JAVA17:-java}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
PORT=${PORT:-$(free_port)}
KEY="bench-startup-$(date +%s%N)"   # only our gateway accepts it
# The flags of the container image (Dockerfile): the AOT cache is trained and used with the same ones.
JAVA_OPTS_BASE=${JAVA_OPTS_BASE:-"-XX:+UseSerialGC -XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=20 -XX:+ExitOnOutOfMemoryError"}
out=target/bench-startup
mkdir -p "$out"
FAST=gateway/target/quarkus-app
AOT=gateway/target/quarkus-aot-app
SIM_JAR=simulator/target/bedrock-simulator.jar
MANAGEMENT_PORT=${MANAGEMENT_PORT:-$(free_port)}

[ -x "$JAVA25" ] || { echo "JDK 25 not found at $JAVA25 (set JAVA25)" >&2; exit 1; }

if [ -z "${NO_BUILD:-}" ]; then
    echo "== building the fast-jar ($FAST), the aot-jar ($AOT, as the image: management interface on) and the simulator jar"
    ./mvnw -B -q -pl gateway,simulator -am package -DskipTests
    ./mvnw -B -q -pl gateway -am package -DskipTests -Dquarkus.package.jar.type=aot-jar \
        -Dquarkus.package.output-directory=quarkus-aot-app -Dquarkus.management.enabled=true
fi
javac --release 17 -d "$out/probe" deploy/docker/GatewayProbe.java

echo "== AOT training run (deploy/docker/aot-train.sh, the same script as the Dockerfile)"
AOT_TRAIN_PORT=$(free_port) AOT_TRAIN_MANAGEMENT_PORT=$(free_port) JAVA="$JAVA25" JAVA_OPTS_BASE="$JAVA_OPTS_BASE" \
    deploy/docker/aot-train.sh "$AOT" "$AOT/app.aot" "$out/probe" "$SIM_JAR" > "$out/aot-train.log" 2>&1 \
    || { tail -40 "$out/aot-train.log" >&2; exit 1; }
tail -1 "$out/aot-train.log"

# The upstream: the stand-alone simulator jar, one process started once, pinned away from CPU 0, where
# the 1-CPU variants run.
SIM_PORT=$(free_port)
sim_pin=(); [ "$(nproc)" -ge 2 ] && sim_pin=(taskset -c 1)
"${sim_pin[@]}" "$JAVA17" -XX:+UseSerialGC -jar "$SIM_JAR" --port="$SIM_PORT" --max-recorded=0 > "$out/simulator.log" 2>&1 &
SIM_PID=$!
trap 'kill $SIM_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do curl -sf -o /dev/null "http://127.0.0.1:$SIM_PORT/ping" && break; sleep 0.05; done
SIM_ENV=("AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:$SIM_PORT" "AWS_ENDPOINT_URL_BEDROCK=http://127.0.0.1:$SIM_PORT")

# The variants: label | CPUs (all, or a CPU list for taskset) | java | app dir | extra flags
# (STARTUP_VARIANTS="0 3" measures a subset, by index)
variants=(
    "JDK 17, fast-jar (\`java -jar\` today)|all|$JAVA17|$FAST|"
    "JDK 25, fast-jar, no cache|all|$JAVA25|$FAST|"
    "JDK 25, aot-jar, no cache|all|$JAVA25|$AOT|"
    "JDK 25, aot-jar + AOT cache (the image)|all|$JAVA25|$AOT|-XX:AOTCache=$AOT/app.aot"
    "JDK 25, fast-jar, no cache|0|$JAVA25|$FAST|"
    "JDK 25, aot-jar + AOT cache (the image)|0|$JAVA25|$AOT|-XX:AOTCache=$AOT/app.aot"
    "JDK 25, aot-jar + AOT cache, C1 only (the Lambda image)|all|$JAVA25|$AOT|-XX:AOTCache=$AOT/app.aot -XX:TieredStopAtLevel=1"
    "JDK 25, aot-jar + AOT cache, C1 only (the Lambda image)|0|$JAVA25|$AOT|-XX:AOTCache=$AOT/app.aot -XX:TieredStopAtLevel=1"
)

# one_run CPUS JAVA APP_DIR EXTRA -> "WALL_MS CPU_MS": launch to the first 200, CPU time used until then
one_run() {
    local cpus=$1 java=$2 app=$3 extra=$4 pin=()
    [ "$cpus" = all ] || pin=(taskset -c "$cpus")
    # shellcheck disable=SC2086
    env "${SIM_ENV[@]}" GATEWAY_API_KEYS="$KEY" GATEWAY_REGION=us-east-1 \
        GATEWAY_CREDENTIALS_STRATEGY=static AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
        AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
        QUARKUS_HTTP_PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
        QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
        "$JAVA17" -cp "$out/probe" GatewayProbe startup "http://127.0.0.1:$PORT" "$KEY" 60 -- \
        "${pin[@]}" "$java" $JAVA_OPTS_BASE $extra -jar "$app/quarkus-run.jar"
}

echo "== measuring, $RUNS runs per variant (+1 discarded warm-up), variants interleaved"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
: > "$out/runs.txt"
selected=${STARTUP_VARIANTS:-${!variants[*]}}
for i in $(seq 0 "$RUNS"); do
    for v in $selected; do
        IFS='|' read -r _ cpus java app extra <<< "${variants[$v]}"
        ms=$(one_run "$cpus" "$java" "$app" "$extra")
        [ "$i" -eq 0 ] || echo "$v $ms" >> "$out/runs.txt"   # round 0 warms the page cache
    done
    echo "round $i done"
done
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

{
    echo "| variant | CPUs | median ms | min ms | max ms | median CPU ms | all runs (ms) |"
    echo "|---|---|---|---|---|---|---|"
    median='{a[NR]=$1} END {m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2; printf "%d", m}'
    for v in $selected; do
        IFS='|' read -r label cpus _ <<< "${variants[$v]}"
        times=$(awk -v v="$v" '$1 == v {print $2}' "$out/runs.txt" | sort -n)
        cpu_ms=$(awk -v v="$v" '$1 == v {print $3}' "$out/runs.txt" | sort -n | awk "$median")
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$label" "$([ "$cpus" = all ] && nproc || echo 1)" \
            "$(echo "$times" | awk "$median")" "$(echo "$times" | head -1)" "$(echo "$times" | tail -1)" \
            "$cpu_ms" "$(echo "$times" | tr '\n' ' ' | sed 's/ $//')"
    done
} > "$out/table.md"
cat "$out/table.md"

cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)
mem=$(free -g | awk '/^Mem:/ {print $2}')
machine="$cpu, $(nproc) cores (shared: load average $load_before before, $load_after after), ${mem} GiB RAM, $(uname -sr); JDK 17: $("$JAVA17" -version 2>&1 | head -1); JDK 25: $("$JAVA25" -version 2>&1 | head -1)"
aot_size=$(du -m "$AOT/app.aot" | cut -f1)
{
    echo
    echo "Measured $(date -u +%Y-%m-%d) by \`bench/startup.sh\` (RUNS=$RUNS) on: $machine."
    echo "JVM flags in every row: \`$JAVA_OPTS_BASE\`. AOT cache: ${aot_size} MB, trained by"
    echo "\`deploy/docker/aot-train.sh\` ($(grep -o '[0-9]* rounds' "$out/aot-train.log" | head -1) of every route)."
    echo "CPUs 1 = pinned with \`taskset -c 0\` (a pod with a 1-CPU limit gets about this). CPU ms = user + system"
    echo "CPU time the gateway JVM had used when its first 200 came back: it depends much less than wall time on"
    echo "what else the shared machine runs."
} >> "$out/table.md"

tail -n 7 "$out/table.md"
if [ -z "${NO_DOCS:-}" ]; then
    doc=docs/performance.md
    [ -f "$doc" ] || printf '# Performance\n\n## Start-up\n\n<!-- startup:begin -->\n<!-- startup:end -->\n' > "$doc"
    python3 - "$doc" "$out/table.md" <<'PY'
import re, sys
doc, table = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
text = open(doc).read()
begin, end = "<!-- startup:begin -->", "<!-- startup:end -->"
if begin not in text:
    sys.exit(f"{doc} has no {begin} marker")
text = re.sub(re.escape(begin) + ".*?" + re.escape(end), lambda m: f"{begin}\n{table}\n{end}", text, flags=re.S)
open(doc, "w").write(text)
PY
    echo "== updated $doc"
fi

#!/usr/bin/env bash
# AOT cache training run (JDK 25, JEP 483/514), used by the Dockerfile and by bench/startup.sh.
#
#   aot-train.sh APP_DIR AOT_FILE PROBE_CLASSES SIMULATOR_JAR
#
# Starts the stand-alone Bedrock simulator (SIMULATOR_JAR, simulator/target/bedrock-simulator.jar; the
# packaged gateway holds no simulator) on a free loopback port, then the packaged gateway (aot-jar
# layout, APP_DIR/quarkus-run.jar) pointed at it, drives every route through GatewayProbe, and stops the
# gateway with SIGTERM; on exit the JVM writes the AOT cache (classes loaded and linked, method
# profiles) to AOT_FILE. The simulator runs in a JVM of its own, so none of its classes enter the cache.
# JAVA (default: java on PATH) picks the JVM and JAVA_OPTS_BASE holds the flags that must be the same at
# training and at run time (GC, heap sizing). A gateway built with the management interface
# (-Dquarkus.management.enabled=true, as the images are) serves health and metrics on
# AOT_TRAIN_MANAGEMENT_PORT; one built without serves them on the API port: the script finds out which.
# Only loopback traffic. The gateway signs with AWS's documentation example key pair, which only the
# simulator accepts: no real AWS credentials are involved or needed.
set -euo pipefail

app=${1:?APP_DIR}
out=${2:?AOT_FILE}
probe=${3:?PROBE_CLASSES}
simulator_jar=${4:?SIMULATOR_JAR (simulator/target/bedrock-simulator.jar)}
java=${JAVA:-java}
port=${AOT_TRAIN_PORT:-18080}
management_port=${AOT_TRAIN_MANAGEMENT_PORT:-19000}
rounds=${AOT_TRAIN_ROUNDS:-40}
# A key of this run only: a stranger answering on the port (a busy shared machine) fails the run loudly.
key="aot-training-$(date +%s%N)"
[ -f "$simulator_jar" ] || { echo "aot-train: no simulator jar at $simulator_jar" >&2; exit 1; }

sim_log=$(mktemp "${TMPDIR:-/tmp}/aot-train-simulator.XXXXXX")
sim_pid=
pid=
cleanup() {
    [ -z "$pid" ] || kill -KILL "$pid" 2>/dev/null || true
    [ -z "$sim_pid" ] || kill -TERM "$sim_pid" 2>/dev/null || true
    [ -z "$sim_pid" ] || wait "$sim_pid" 2>/dev/null || true
    rm -f "$sim_log"
}
trap cleanup EXIT

# The simulator: port 0 = any free port, read back from its first line.
"$java" -XX:+UseSerialGC -Xmx256m -XX:TieredStopAtLevel=1 -jar "$simulator_jar" --port=0 --host=127.0.0.1 \
    --max-recorded=0 > "$sim_log" 2>&1 &
sim_pid=$!
sim_port=
for _ in $(seq 1 300); do
    sim_port=$(sed -n 's|^Bedrock simulator listening on http://127\.0\.0\.1:\([0-9]*\).*|\1|p' "$sim_log")
    [ -n "$sim_port" ] && break
    kill -0 "$sim_pid" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$sim_port" ]; then
    echo "aot-train: the simulator did not start:" >&2
    cat "$sim_log" >&2
    exit 1
fi
echo "aot-train: simulator on 127.0.0.1:$sim_port"
simulator=http://127.0.0.1:$sim_port

rm -f "$out"
# shellcheck disable=SC2086 # JAVA_OPTS_BASE is a list of flags
env GATEWAY_API_KEYS="$key" GATEWAY_REGION=us-east-1 \
    GATEWAY_BEDROCK_ENDPOINT="$simulator" GATEWAY_BEDROCK_CONTROL_ENDPOINT="$simulator" \
    GATEWAY_CREDENTIALS_STRATEGY=static AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
    GATEWAY_BEDROCK_MAX_ATTEMPTS=1 QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$management_port" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    "$java" ${JAVA_OPTS_BASE:-} -XX:AOTCacheOutput="$out" -jar "$app/quarkus-run.jar" &
pid=$!

base=http://127.0.0.1:$port
# health on the management port (images) or on the API port (a build without the management interface)
ready=$("$java" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$probe" GatewayProbe wait \
    "http://127.0.0.1:$management_port/q/health/ready,$base/q/health/ready" 180) \
    || { echo "aot-train: the gateway did not become ready" >&2; exit 1; }
management=${ready%/q/health/ready}
echo "aot-train: gateway ready, health and metrics on $management"
"$java" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$probe" GatewayProbe train "$base" "$key" "$rounds" "$management"

echo "aot-train: training done at $(date +%T.%N), stopping the gateway"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
pid=
# 143 = ended by SIGTERM after a graceful shutdown, the expected way out.
if [ "$status" -ne 0 ] && [ "$status" -ne 143 ]; then
    echo "aot-train: the gateway exited with status $status" >&2
    exit 1
fi
if [ ! -s "$out" ]; then
    echo "aot-train: no AOT cache written to $out" >&2
    exit 1
fi
echo "aot-train: wrote $out ($(du -h "$out" | cut -f1))"

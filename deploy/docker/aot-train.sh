#!/usr/bin/env bash
# AOT cache training run (JDK 25, JEP 483/514), used by the Dockerfile and by bench/startup.sh.
#
#   aot-train.sh APP_DIR AOT_FILE PROBE_CLASSES
#
# Starts the packaged gateway (aot-jar layout, APP_DIR/quarkus-run.jar) with the embedded Bedrock
# simulator, drives every route through GatewayProbe, then stops it with SIGTERM; on exit the JVM writes
# the AOT cache (classes loaded and linked, method profiles) to AOT_FILE. JAVA (default: java on PATH)
# picks the JVM and JAVA_OPTS_BASE holds the flags that must be the same at training and at run time
# (GC, heap sizing). Only loopback traffic. The gateway signs with AWS's documentation example key pair,
# which only the simulator accepts: no real AWS credentials are involved or needed.
set -euo pipefail

app=${1:?APP_DIR}
out=${2:?AOT_FILE}
probe=${3:?PROBE_CLASSES}
java=${JAVA:-java}
port=${AOT_TRAIN_PORT:-18080}
rounds=${AOT_TRAIN_ROUNDS:-40}
# A key of this run only: a stranger answering on the port (a busy shared machine) fails the run loudly.
key="aot-training-$(date +%s%N)"

rm -f "$out"
# shellcheck disable=SC2086 # JAVA_OPTS_BASE is a list of flags
env GATEWAY_SIMULATOR_ENABLED=true GATEWAY_API_KEYS="$key" GATEWAY_REGION=us-east-1 \
    GATEWAY_CREDENTIALS_STRATEGY=static AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
    GATEWAY_BEDROCK_MAX_ATTEMPTS=1 QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
    "$java" ${JAVA_OPTS_BASE:-} -XX:AOTCacheOutput="$out" -jar "$app/quarkus-run.jar" &
pid=$!
trap 'kill -KILL "$pid" 2>/dev/null || true' EXIT

"$java" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$probe" GatewayProbe wait "http://127.0.0.1:$port/q/health/ready" 180
"$java" -Xshare:auto -XX:TieredStopAtLevel=1 -cp "$probe" GatewayProbe train "http://127.0.0.1:$port" "$key" "$rounds"

echo "aot-train: training done at $(date +%T.%N), stopping the gateway"
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
trap - EXIT
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

#!/usr/bin/env bash
# A/B comparison of two builds (or two JVM flag sets) of the gateway, side by side in one run: both
# run at once in front of one simulator, and load phases alternate A, B, A, B... so that both see the
# same background load. Reports, per phase, the gateway's CPU per request (per chunk for streams),
# latency p50/p99 and RSS.
#
#   bench/ab.sh APP_DIR_A APP_DIR_B                  # two gateway/target/quarkus-app copies
#   AB_OPTS_A="..." AB_OPTS_B="..." bench/ab.sh DIR DIR  # one build, two flag sets
#   AB_MODE=stream AB_RATE=20 AB_ROUNDS=4 AB_SECONDS=8 ...
#   AB_PIN=0 ...                                     # don't pin (default: as bench/run.sh, the gateways
#                                                    # on CPU 1, simulator and load generator on CPU 0)
#   AB_SIMULATOR_JAR=...                             # default simulator/target/bedrock-simulator.jar
#                                                    # (./mvnw -B -q -pl gateway,simulator -am package -DskipTests)
set -euo pipefail
cd "$(dirname "$0")/.."
A=${1:?APP_DIR_A}; B=${2:?APP_DIR_B}
MODE=${AB_MODE:-plain}
RATE=${AB_RATE:-$([ "$MODE" = stream ] && echo 20 || echo 500)}
ROUNDS=${AB_ROUNDS:-4}; SECS=${AB_SECONDS:-8}; WARM=${AB_WARMUP_SECONDS:-30}
TOKENS=${AB_TOKENS:-500}
DEFAULT_OPTS="-XX:+UseSerialGC -Xms32m -Xmx512m -Xss512k -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:+ExitOnOutOfMemoryError"
OPTS_A=${AB_OPTS_A:-$DEFAULT_OPTS}; OPTS_B=${AB_OPTS_B:-$DEFAULT_OPTS}
PORT_BASE=${BENCH_PORT_BASE:-18680}
PIN_SUT=(); PIN_LOAD=()
if [ "${AB_PIN:-1}" = 1 ] && [ "$(nproc)" -ge 2 ]; then PIN_SUT=(taskset -c 1); PIN_LOAD=(taskset -c 0); fi
SIM_PORT=$PORT_BASE
SIM_JAR=${AB_SIMULATOR_JAR:-simulator/target/bedrock-simulator.jar}
[ -f "$SIM_JAR" ] || { echo "no simulator jar at $SIM_JAR: ./mvnw -B -q -pl gateway,simulator -am package -DskipTests" >&2; exit 1; }
WORK=bench/.work; OUT=$WORK/ab; mkdir -p "$OUT" "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$B/lib/main/*" bench/loadgen/LoadGen.java
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done' EXIT INT TERM
wait_http() { local url=$1; shift; for _ in $(seq 1 600); do
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$@" "$url" 2>/dev/null | grep -q '^200$' && return 0; sleep 0.05; done; return 1; }

"${PIN_LOAD[@]}" java -XX:+UseSerialGC -jar "$SIM_JAR" \
    --port=$SIM_PORT --no-verify-signatures --max-recorded=0 > "$OUT/simulator.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$SIM_PORT/ping"
if [ "$MODE" = stream ]; then
    printf '{"model":"m","stream":true,"messages":[{"role":"user","content":"Hello\\n@sim tokens=%s"}]}' "$TOKENS" > "$OUT/body.json"
    EXTRA=(marker=tok1 "expect=[DONE]"); UNIT=chunk; PER=$TOKENS
else
    printf '{"model":"m","max_tokens":1000,"messages":[{"role":"user","content":"Hello, how are you today?\\n@sim tokens=20"}]}' > "$OUT/body.json"
    EXTRA=(); UNIT=request; PER=1
fi
declare -A PID PORT
start() { # NAME APP_DIR OPTS PORT
    # shellcheck disable=SC2086
    QUARKUS_HTTP_PORT=$4 QUARKUS_HTTP_HOST=127.0.0.1 GATEWAY_API_KEYS=bench-key AWS_REGION=us-east-1 \
        GATEWAY_CREDENTIALS_STRATEGY=static AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
        AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:$SIM_PORT \
        "${PIN_SUT[@]}" java $3 -jar "$2/quarkus-run.jar" > "$OUT/gateway-$1.log" 2>&1 &
    PID[$1]=$!; PORT[$1]=$4; PIDS+=($!)
    wait_http "http://127.0.0.1:$4/v1/chat/completions" -H 'authorization: Bearer bench-key' -H 'content-type: application/json' -d @"$OUT/body.json"
}
start A "$A" "$OPTS_A" $((PORT_BASE + 1))
start B "$B" "$OPTS_B" $((PORT_BASE + 2))
load() { # NAME SECONDS LABEL [LoadGen args]
    local name=$1 secs=$2 label=$3; shift 3
    "${PIN_LOAD[@]}" java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$WORK/classes:$B/lib/main/*" LoadGen \
        url="http://127.0.0.1:${PORT[$name]}/v1/chat/completions" body=@"$OUT/body.json" header=content-type:application/json \
        "header=authorization:Bearer bench-key" "${EXTRA[@]}" conns=1024 timeout=60 rate="$RATE" duration="$secs" label="$label" "$@"
}
echo "warm-up: ${WARM}s each at $RATE/s" >&2
load A "$WARM" warm > /dev/null; load B "$WARM" warm > /dev/null
printf '%-6s %-2s %12s %9s %9s %9s %7s %s\n' round ab "cpu/$UNIT(us)" p50_ms p99_ms ttft50 rss_MB load
for r in $(seq 1 "$ROUNDS"); do
    for n in A B; do
        # 2 s of warm-up in the measuring generator itself, which measures the gateway's CPU over the phase
        j=$(load "$n" "$SECS" "r$r" warmup=2 cpu="${PID[$n]}")
        cpu_ms=$(echo "$j" | sed 's/.*"sut_cpu_ms":\([0-9]*\).*/\1/')
        ok=$(echo "$j" | sed 's/.*"ok":\([0-9]*\).*/\1/')
        p50=$(echo "$j" | sed 's/.*"lat_p50_ms":\([0-9.a-z]*\).*/\1/')
        p99=$(echo "$j" | sed 's/.*"lat_p99_ms":\([0-9.a-z]*\).*/\1/')
        t50=$(echo "$j" | grep -o '"ttft_p50_ms":[0-9.]*' | cut -d: -f2 || true)
        rss=$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/${PID[$n]}/status")
        us=$(awk -v c="$cpu_ms" -v ok="$ok" -v per="$PER" 'BEGIN { if (ok > 0) printf "%.1f", c * 1000 / (ok * per); else print "-" }')
        printf '%-6s %-2s %12s %9s %9s %9s %7s %s\n' "$r" "$n" "$us" "$p50" "$p99" "${t50:--}" "$rss" "$(cut -d' ' -f1 /proc/loadavg)"
    done
done

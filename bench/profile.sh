#!/usr/bin/env bash
# CPU (or allocation) profile of the gateway under a fixed load, with async-profiler from Maven
# Central (tools.profiler:async-profiler: its jar carries the native library).
#
#   bench/profile.sh                          # non-streaming, 1000 req/s for 20 s
#   PROFILE_MODE=stream bench/profile.sh      # 500-token streams, 20 streams/s
#   PROFILE_RATE=500 PROFILE_SECONDS=30 ...   # other rate / length
#   PROFILE_EVENT=alloc bench/profile.sh      # allocation profile instead of CPU
#   BENCH_SKIP_BUILD=1 ...                    # reuse gateway/target/quarkus-app and the simulator jar
#
# Writes bench/.work/profile/<mode>-<event>.collapsed (folded stacks: flamegraph.pl / speedscope
# input) and prints the top frames: self time, and inclusive time of chosen frames.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD; WORK=$ROOT/bench/.work; OUT=$WORK/profile
mkdir -p "$OUT"
MODE=${PROFILE_MODE:-plain}
RATE=${PROFILE_RATE:-$([ "$MODE" = stream ] && echo 20 || echo 1000)}
SECONDS_=${PROFILE_SECONDS:-20}
EVENT=${PROFILE_EVENT:-cpu}
AP_VERSION=${ASYNC_PROFILER_VERSION:-4.1}
PORT_BASE=${BENCH_PORT_BASE:-18580}
SIM_PORT=$PORT_BASE; GW_PORT=$((PORT_BASE + 1))
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-"-XX:+UseSerialGC -Xms32m -Xmx512m -Xss512k -XX:MaxMetaspaceSize=128m -XX:ReservedCodeCacheSize=64m -XX:+ExitOnOutOfMemoryError"}
JAVA=${JAVA:-java}
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

APP=gateway/target/quarkus-app
SIM_JAR=simulator/target/bedrock-simulator.jar
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$APP/quarkus-run.jar" ] || [ ! -f "$SIM_JAR" ]; then
    ./mvnw -B -q -pl gateway,simulator -am package -DskipTests
fi
mkdir -p "$WORK/classes"
javac -nowarn -d "$WORK/classes" -cp "$APP/lib/main/*" bench/loadgen/LoadGen.java

# async-profiler from Maven Central (its jar carries the native library)
AP_JAR=$HOME/.m2/repository/tools/profiler/async-profiler/$AP_VERSION/async-profiler-$AP_VERSION.jar
[ -f "$AP_JAR" ] || ./mvnw -B -q dependency:get -Dartifact="tools.profiler:async-profiler:$AP_VERSION" >/dev/null
mkdir -p "$WORK/async-profiler"
(cd "$WORK/async-profiler" && unzip -o -q "$AP_JAR" 'linux-x64/*' 'one/*')
AP_LIB=$WORK/async-profiler/linux-x64/libasyncProfiler.so

PIDS=()
cleanup() { local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM
wait_http() { local url=$1; shift; for _ in $(seq 1 600); do
    curl -s -o /dev/null -m 2 -w '%{http_code}' "$@" "$url" 2>/dev/null | grep -q '^200$' && return 0; sleep 0.05; done
    echo "not ready: $url" >&2; return 1; }

"$JAVA" -XX:+UseSerialGC -jar "$SIM_JAR" --port=$SIM_PORT --no-verify-signatures --max-recorded=0 \
    > "$OUT/simulator.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$SIM_PORT/ping"

if [ "$MODE" = stream ]; then
    BODY='{"model":"anthropic.claude-3-5-haiku-20241022-v1:0","stream":true,"messages":[{"role":"user","content":"Hello\n@sim tokens=500"}]}'
    EXTRA=(marker=tok1 "expect=[DONE]")
else
    BODY='{"model":"anthropic.claude-3-5-haiku-20241022-v1:0","max_tokens":1000,"messages":[{"role":"user","content":"Hello, how are you today?\n@sim tokens=20"}]}'
    EXTRA=()
fi
printf '%s' "$BODY" > "$OUT/body.json"

QUARKUS_HTTP_PORT=$GW_PORT QUARKUS_HTTP_HOST=127.0.0.1 GATEWAY_API_KEYS=bench-key AWS_REGION=us-east-1 \
    GATEWAY_CREDENTIALS_STRATEGY=static AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY \
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:$SIM_PORT \
    "$JAVA" $GATEWAY_JAVA_OPTS -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -jar "$APP/quarkus-run.jar" > "$OUT/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
wait_http "http://127.0.0.1:$GW_PORT/v1/chat/completions" -H 'authorization: Bearer bench-key' \
    -H 'content-type: application/json' -d @"$OUT/body.json"

LOADGEN=("$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$WORK/classes:$APP/lib/main/*" LoadGen
    url=http://127.0.0.1:$GW_PORT/v1/chat/completions body=@"$OUT/body.json"
    header=content-type:application/json "header=authorization:Bearer bench-key" "${EXTRA[@]}" conns=1024 timeout=60)
WARM=${PROFILE_WARMUP_SECONDS:-40}
log "warm-up: $RATE/s for $WARM s"
"${LOADGEN[@]}" rate="$RATE" duration="$WARM" label=warmup > /dev/null

log "profiling ($EVENT) at $RATE/s for $SECONDS_ s"
: > "$OUT/jcmd.log"
# async-profiler is driven through the JVM's dynamic attach (jcmd JVMTI.agent_load); event cpu needs
# perf_events, itimer is the fallback where the kernel refuses them.
# (the option string is quoted once more, or jcmd would split it at its first "=")
ap() { jcmd "$GW_PID" JVMTI.agent_load "$AP_LIB" "\"$1\"" >> "$OUT/jcmd.log" 2>&1 && ! grep -q ERROR "$OUT/jcmd.log"; }
if [ "$EVENT" = alloc ]; then ap "start,event=alloc,alloc=256k${PROFILE_LIVE:+,live}"; else ap "start,event=cpu,interval=1ms,threads" || ap "start,event=itimer,interval=1ms,threads"; fi
cpu0=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
"${LOADGEN[@]}" rate="$RATE" duration="$SECONDS_" label=profiled | tee "$OUT/$MODE.loadgen.json"
cpu1=$(awk '{print $14+$15}' "/proc/$GW_PID/stat")
ap "stop,file=$OUT/$MODE-$EVENT.collapsed,collapsed"

log "gateway CPU during the profiled phase: $(( (cpu1 - cpu0) * 10 )) ms"

node "$ROOT/bench/folded-top.mjs" "$OUT/$MODE-$EVENT.collapsed" | tee "$OUT/$MODE-$EVENT.top.txt"

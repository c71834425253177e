#!/usr/bin/env bash
# Memory footprint of the JVM gateway (the container image's JVM, flags and AOT cache) idle and under a
# short local load, for sizing the Kubernetes requests and limits (docs/deployment.md#sizing).
#
#   bench/startup.sh                      # once: builds gateway/target/quarkus-aot-app and its AOT cache,
#                                         # and simulator/target/bedrock-simulator.jar
#   bench/startup-footprint.sh            # MEM=512m DURATION=30s by default
#   MEM=1g bench/startup-footprint.sh
#
# The gateway runs as in the image (aot-jar, management interface on its own port) against the
# stand-alone Bedrock simulator jar, both on 127.0.0.1; MEM is the emulated container memory limit (-XX:MaxRAM, which MaxRAMPercentage is
# applied to). Load from wrk (apt-get install -y wrk): non-streaming requests, then many concurrent
# streams. RSS is sampled every 0.5 s from /proc. Everything stays on loopback and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."

MEM=${MEM:-512m}
DURATION=${DURATION:-30s}
PLAIN_CONNS=${PLAIN_CONNS:-64}
STREAMS=${STREAMS:-128}
# A stream of 40 words, one every 125 ms (about 5 s, like a short real answer).
STREAM_TEXT=${STREAM_TEXT:-"@sim tokens=40\\\\n@sim chunk-delay=125"}
JAVA25=${JAVA25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
JAVA_OPTS_BASE=${JAVA_OPTS_BASE:-"-XX:+UseSerialGC -XX:MaxRAMPercentage=70 -XX:InitialRAMPercentage=20 -XX:+ExitOnOutOfMemoryError"}
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
GW_PORT=${GW_PORT:-$(free_port)}
SIM_PORT=${SIM_PORT:-$(free_port)}
MANAGEMENT_PORT=${MANAGEMENT_PORT:-$(free_port)}
app=gateway/target/quarkus-aot-app
sim_jar=simulator/target/bedrock-simulator.jar
out=target/bench-footprint
mkdir -p "$out"
command -v wrk > /dev/null || { echo "wrk is needed: apt-get install -y wrk" >&2; exit 1; }
[ -f "$app/app.aot" ] && [ -f "$sim_jar" ] \
    || { echo "run bench/startup.sh first (builds $app, its AOT cache and $sim_jar)" >&2; exit 1; }

pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2> /dev/null || true; done; }
trap cleanup EXIT

"$JAVA25" -jar "$sim_jar" --port="$SIM_PORT" --host=127.0.0.1 > "$out/simulator.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 300); do
    deploy/docker/healthcheck.sh /ping "$SIM_PORT" 2> /dev/null && break
    sleep 0.1
done
deploy/docker/healthcheck.sh /ping "$SIM_PORT" \
    || { echo "the simulator did not start:" >&2; cat "$out/simulator.log" >&2; exit 1; }
# shellcheck disable=SC2086
env GATEWAY_CREDENTIALS_STRATEGY=static AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE \
    AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY AWS_REGION=us-east-1 \
    AWS_ENDPOINT_URL_BEDROCK_RUNTIME="http://127.0.0.1:$SIM_PORT" GATEWAY_API_KEYS=bench-key \
    QUARKUS_HTTP_PORT="$GW_PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
    QUARKUS_MANAGEMENT_PORT="$MANAGEMENT_PORT" QUARKUS_MANAGEMENT_HOST=127.0.0.1 \
    "$JAVA25" $JAVA_OPTS_BASE -XX:MaxRAM="$MEM" -XX:AOTCache="$app/app.aot" -jar "$app/quarkus-run.jar" \
    > "$out/gateway.log" 2>&1 &
gw=$!
pids+=("$gw")
# health on the management port (the aot-jar is built like the image)
for _ in $(seq 1 300); do
    deploy/docker/healthcheck.sh /q/health/ready "$MANAGEMENT_PORT" 2> /dev/null && break
    sleep 0.1
done
deploy/docker/healthcheck.sh /q/health/ready "$MANAGEMENT_PORT"

rss() { awk '/^VmRSS/ {printf "%d", $2 / 1024}' "/proc/$gw/status" 2> /dev/null || echo 0; }
hwm() { awk '/^VmHWM/ {printf "%d", $2 / 1024}' "/proc/$gw/status"; }
heap() { "${JAVA25%/java}/jcmd" "$gw" GC.heap_info 2> /dev/null | awk '/total/ {print; exit}' | sed 's/^ *//'; }
cpu_s() { awk '{printf "%.1f", ($14 + $15) / 100}' "/proc/$gw/stat"; }

# load NAME CONNECTIONS BODY_TEXT: wrk for DURATION, RSS sampled meanwhile; prints the peak RSS
load() {
    local name=$1 conns=$2 text=$3
    cat > "$out/$name.lua" << LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer bench-key"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"anthropic.claude-3-5-haiku-20241022-v1:0",$( [ "$name" = stream ] && echo '"stream":true,' )"messages":[{"role":"user","content":"$text"}]}'
LUA
    local peak=0 r
    wrk -t2 -c"$conns" -d"$DURATION" --timeout 30s -s "$out/$name.lua" "http://127.0.0.1:$GW_PORT/v1/chat/completions" \
        > "$out/wrk-$name.txt" 2>&1 &
    local w=$!
    while kill -0 "$w" 2> /dev/null; do
        r=$(rss)
        [ "$r" -gt "$peak" ] && peak=$r
        sleep 0.5
    done
    wait "$w"
    kill -0 "$gw" 2> /dev/null || { echo "the gateway died during the $name load:" >&2; tail -3 "$out/gateway.log" >&2; exit 1; }
    echo "$peak"
}

sleep 3
idle=$(rss)
idle_heap=$(heap)
cpu0=$(cpu_s)
peak_plain=$(load plain "$PLAIN_CONNS" "Hello, how are you today?")
after_plain=$(rss)
cpu1=$(cpu_s)
peak_stream=$(load stream "$STREAMS" "$STREAM_TEXT")
after_stream=$(rss)
cpu2=$(cpu_s)
sleep 5
settled=$(rss)
settled_heap=$(heap)

req_plain=$(awk '/Requests\/sec/ {print $2}' "$out/wrk-plain.txt")
req_stream=$(awk '/Requests\/sec/ {print $2}' "$out/wrk-stream.txt")
errs=$(cat "$out/wrk-plain.txt" "$out/wrk-stream.txt" | grep -c "Non-2xx\|Socket errors" || true)
cat << REPORT
Gateway JVM footprint, MEM=$MEM (-XX:MaxRAM), flags: $JAVA_OPTS_BASE, AOT cache on
  stream idle timeout: ${GATEWAY_BEDROCK_STREAM_IDLE_TIMEOUT:-default}
  idle after start-up           RSS ${idle} MiB   heap: $idle_heap
  $PLAIN_CONNS connections, non-streaming peak RSS ${peak_plain} MiB (${req_plain} req/s, CPU $(echo "$cpu1 - $cpu0" | bc) s over $DURATION)
  $STREAMS concurrent streams      peak RSS ${peak_stream} MiB (${req_stream} streams/s, CPU $(echo "$cpu2 - $cpu1" | bc) s over $DURATION)
  5 s after the load            RSS ${settled} MiB   heap: $settled_heap
  high-water mark               VmHWM $(hwm) MiB
  wrk error lines: $errs (details in $out/wrk-*.txt)
REPORT

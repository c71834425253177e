#!/usr/bin/env bash
# Bedrock Chat Gateway benchmark: the gateway against the Bedrock simulator called directly (the
# floor), nginx as a plain reverse proxy, and the npm peer @portkey-ai/gateway, all in front of the
# same simulator, in ONE run on ONE machine. Prints one table (bench/.work/latest/table.md).
#
#   bench/run.sh                   # everything: install, build, start, measure, stop (about 12 min)
#   bench/run.sh quick             # short phases, for development (about 4 min); = BENCH_QUICK=1
#   BENCH_SKIP_BUILD=1 ...         # reuse gateway/target/quarkus-app and simulator/target/bedrock-simulator.jar
#   BENCH_SCENARIOS="rates peak"   # a subset of: rates peak ttft chunks hold
#   BENCH_TARGETS="direct gateway" # a subset of: direct nginx portkey gateway passthrough responses
#                                  # (passthrough: the same gateway's /bedrock pass-through, Converse body;
#                                  #  responses: the same gateway on POST /v1/responses, opt-in)
#   GATEWAY_JAVA_OPTS="..."        # JVM flags of the gateway (default below, see docs/performance.md)
#   BENCH_UPDATE_DOCS=1            # write the table into docs/performance.md (## Results)
#   BENCH_PIN=0                    # do not pin processes to CPUs (default: pinned, see bench/README.md)
#
# Only 127.0.0.1 is used. Every load phase is bounded in requests and time. Everything started here is
# stopped on exit, by process id.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
BENCH=$ROOT/bench
WORK=$BENCH/.work

# ---------------------------------------------------------------- settings
case ${1:-} in
    quick) BENCH_QUICK=1 ;;
    "") ;;
    *) echo "usage: bench/run.sh [quick]   (settings: environment variables, see the top of this script)" >&2; exit 2 ;;
esac
QUICK=${BENCH_QUICK:-0}
# GLOBAL_WARMUP: seconds of closed-loop load per target before anything is measured (the JVMs' JIT
# needs about a minute of traffic on this kind of machine to settle; Node and nginx get the same).
if [ "$QUICK" = 1 ]; then
    DURATION=${BENCH_DURATION:-4}; WARMUP=${BENCH_WARMUP:-2}; PEAK_SECONDS=${BENCH_PEAK_SECONDS:-4}
    HOLD_STREAMS=${BENCH_HOLD_STREAMS:-2000}; GLOBAL_WARMUP=${BENCH_GLOBAL_WARMUP:-8}
else
    DURATION=${BENCH_DURATION:-12}; WARMUP=${BENCH_WARMUP:-4}; PEAK_SECONDS=${BENCH_PEAK_SECONDS:-10}
    HOLD_STREAMS=${BENCH_HOLD_STREAMS:-2000}; GLOBAL_WARMUP=${BENCH_GLOBAL_WARMUP:-60}
fi
RATES=${BENCH_RATES:-"100 500 1000 2000"}
SCENARIOS=${BENCH_SCENARIOS:-"rates peak ttft chunks hold"}
TARGETS=${BENCH_TARGETS:-"direct nginx portkey gateway passthrough"}
WRK_CONNS=${BENCH_WRK_CONNS:-64}
PORTKEY_VERSION=${BENCH_PORTKEY_VERSION:-1.15.2}
PIN=${BENCH_PIN:-1}
PORT_BASE=${BENCH_PORT_BASE:-18480}
# The JVM flags the gateway is measured with (documented in docs/performance.md, ## Method), and a
# small-footprint set (C1 only, fewer Netty arenas) whose start-up and idle RSS are measured too.
GATEWAY_JAVA_OPTS=${GATEWAY_JAVA_OPTS:-"-XX:+UseSerialGC -Xms16m -Xmx512m -Xss256k -XX:+ExitOnOutOfMemoryError"}
GATEWAY_FOOTPRINT_OPTS=${GATEWAY_FOOTPRINT_OPTS:-"-XX:+UseSerialGC -Xms8m -Xmx512m -Xss256k -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -XX:ReservedCodeCacheSize=32m -XX:MinHeapFreeRatio=5 -XX:MaxHeapFreeRatio=20 -XX:-UsePerfData -Dio.netty.allocator.numDirectArenas=1 -Dio.netty.allocator.numHeapArenas=1 -XX:+ExitOnOutOfMemoryError"}
# glibc's per-thread malloc arenas add RSS for nothing on a small JVM
export MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-2}
JAVA=${JAVA:-java}

SIM_PORT=$PORT_BASE; GW_PORT=$((PORT_BASE + 1)); NGINX_PORT=$((PORT_BASE + 2)); PK_PORT=$((PORT_BASE + 3))
MODEL=anthropic.claude-3-5-haiku-20241022-v1:0
MODEL_PATH=anthropic.claude-3-5-haiku-20241022-v1%3A0
AKID=AKIAIOSFODNN7EXAMPLE
SECRET=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
KEY=bench-key

RUN_ID=$(date -u +%Y%m%dT%H%M%SZ)
OUT=$WORK/runs/$RUN_ID
mkdir -p "$OUT/gc" "$OUT/series" "$WORK"
ln -sfn "runs/$RUN_ID" "$WORK/latest"
RESULTS=$OUT/results.jsonl
: > "$RESULTS"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- pinning
# Two CPUs: the system under test (the proxy being measured) gets CPU 1, the simulator and the load
# generators share CPU 0, so the generator never steals the proxy's CPU and every proxy gets one core.
NCPU=$(nproc)
if [ "$PIN" = 1 ] && [ "$NCPU" -ge 2 ]; then
    PIN_SUT=(taskset -c 1); PIN_LOAD=(taskset -c 0)
else
    PIN_SUT=(); PIN_LOAD=()
fi

# ---------------------------------------------------------------- tools
need_apt=()
command -v wrk >/dev/null || need_apt+=(wrk)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || need_apt+=(nginx-light)
command -v node >/dev/null || need_apt+=(nodejs)
command -v npm >/dev/null || need_apt+=(npm)
if [ ${#need_apt[@]} -gt 0 ]; then
    log "installing from Debian: ${need_apt[*]}"
    SUDO=(); [ "$(id -u)" = 0 ] || SUDO=(sudo)
    "${SUDO[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
NGINX=$(command -v nginx || echo /usr/sbin/nginx)

PK_DIR=$WORK/portkey
if [ ! -f "$PK_DIR/node_modules/@portkey-ai/gateway/build/start-server.js" ] \
        || ! grep -q "\"version\": \"$PORTKEY_VERSION\"" "$PK_DIR/node_modules/@portkey-ai/gateway/package.json"; then
    log "installing @portkey-ai/gateway@$PORTKEY_VERSION from npm"
    mkdir -p "$PK_DIR"
    (cd "$PK_DIR" && [ -f package.json ] || echo '{"name":"bench-portkey","private":true}' > "$PK_DIR/package.json")
    (cd "$PK_DIR" && npm install --no-audit --no-fund --ignore-scripts --loglevel=error \
        "@portkey-ai/gateway@$PORTKEY_VERSION" >/dev/null)
fi

# The gateway (gateway/target/quarkus-app) and the stand-alone simulator jar, from the multi-module build.
APP=gateway/target/quarkus-app
SIM_JAR=simulator/target/bedrock-simulator.jar
if [ "${BENCH_SKIP_BUILD:-0}" != 1 ] || [ ! -f "$APP/quarkus-run.jar" ] || [ ! -f "$SIM_JAR" ]; then
    log "building the gateway and the simulator (./mvnw -B -q -pl gateway,simulator -am package -DskipTests)"
    ./mvnw -B -q -pl gateway,simulator -am package -DskipTests
fi
mkdir -p "$WORK/classes"
# LoadGen needs Vert.x only: the gateway's own libraries
javac -nowarn -d "$WORK/classes" -cp "$APP/lib/main/*" "$BENCH/loadgen/LoadGen.java"
LOADGEN=("${PIN_LOAD[@]}" "$JAVA" -XX:+UseSerialGC -Xmx512m -Xlog:gc:file="$OUT/gc/loadgen-%p.log" -XX:TieredStopAtLevel=1 -cp "$WORK/classes:$APP/lib/main/*" LoadGen)

for p in $SIM_PORT $GW_PORT $NGINX_PORT $PK_PORT; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
        echo "port $p is in use; set BENCH_PORT_BASE to a free range" >&2; exit 1
    fi
done

# ---------------------------------------------------------------- processes
PIDS=()
cleanup() {
    local pid
    [ -n "${SAMPLER_PID:-}" ] && kill "$SAMPLER_PID" 2>/dev/null
    for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
    sleep 0.5
    for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

# cpu_ms PID... : utime+stime of the processes (and their threads), ms
CLK_TCK=$(getconf CLK_TCK)
cpu_ms() {
    local t=0 pid f
    for pid in "$@"; do
        if [ -r "/proc/$pid/stat" ]; then
            f=$(sed 's/^.*) //' "/proc/$pid/stat")
            t=$((t + $(echo "$f" | awk '{print $12 + $13}')))
        fi
    done
    echo $((t * 1000 / CLK_TCK))
}
# rss_kb PID... : resident set, kB
rss_kb() {
    local t=0 pid r
    for pid in "$@"; do
        r=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || echo 0)
        t=$((t + ${r:-0}))
    done
    echo $t
}
# rss sampler: writes the peak to FILE until FILE.stop exists
rss_sampler() {
    local file=$1; shift
    local peak=0 r
    while [ ! -e "$file.stop" ]; do
        r=$(rss_kb "$@"); [ "$r" -gt "$peak" ] && peak=$r
        echo "$peak" > "$file"
        sleep 0.2
    done
}

wait_http() { # URL [curl args...]
    local url=$1; shift
    for _ in $(seq 1 600); do
        if curl -s -o /dev/null -m 2 -w '%{http_code}' "$@" "$url" 2>/dev/null | grep -q '^200$'; then return 0; fi
        sleep 0.05
    done
    echo "not ready: $url" >&2; return 1
}
now_ms() { date +%s%3N; }

CHAT_HEADERS=(-H 'content-type: application/json' -H "authorization: Bearer $KEY")
PK_HEADERS=(-H 'content-type: application/json' -H 'x-portkey-provider: bedrock'
    -H "x-portkey-custom-host: http://127.0.0.1:$SIM_PORT" -H "x-portkey-aws-access-key-id: $AKID"
    -H "x-portkey-aws-secret-access-key: $SECRET" -H 'x-portkey-aws-region: us-east-1')

# request bodies: the same conversation for everyone, Converse shape for direct/nginx, OpenAI for the rest
mkdir -p "$OUT/bodies"
body() { # NAME SIM_DIRECTIVES STREAM(true|false)
    local name=$1 dirs=$2 stream=$3
    printf '{"messages":[{"role":"user","content":[{"text":"Hello, how are you today?%s"}]}],"inferenceConfig":{"maxTokens":1000}}' \
        "$dirs" > "$OUT/bodies/$name.converse.json"
    printf '{"model":"%s","max_tokens":1000,"stream":%s,"messages":[{"role":"user","content":"Hello, how are you today?%s"}]}' \
        "$MODEL" "$stream" "$dirs" > "$OUT/bodies/$name.chat.json"
    # the Responses API, stateless as Codex sends it (store: false: nothing kept, as for chat)
    printf '{"model":"%s","max_output_tokens":1000,"stream":%s,"store":false,"input":"Hello, how are you today?%s"}' \
        "$MODEL" "$stream" "$dirs" > "$OUT/bodies/$name.responses.json"
}
body small '\n@sim tokens=20' false
body ttft '\n@sim tokens=20' true
body s500 '\n@sim tokens=500' true
body s1 '\n@sim tokens=1' true
body slow '\n@sim tokens=97\n@sim chunk-delay=40' true

log "starting the simulator on :$SIM_PORT (signature checks off)"
"${PIN_LOAD[@]}" "$JAVA" -XX:+UseSerialGC -Xmx1g -Xlog:gc:file="$OUT/gc/simulator.log" -jar "$SIM_JAR" \
    --port=$SIM_PORT --no-verify-signatures --max-recorded=0 > "$OUT/simulator.log" 2>&1 &
SIM_PID=$!; PIDS+=("$SIM_PID")
wait_http "http://127.0.0.1:$SIM_PORT/ping"

# nginx: one worker, keep-alive to the simulator, no buffering (streams pass through as they come)
mkdir -p "$OUT/nginx/tmp"
cat > "$OUT/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $OUT/nginx/nginx.pid;
error_log $OUT/nginx/error.log warn;
$( [ "$(id -u)" = 0 ] && echo "user root;" )
events { worker_connections 8192; }
worker_rlimit_nofile 16384;
http {
    access_log off;
    client_body_temp_path $OUT/nginx/tmp/body;
    proxy_temp_path $OUT/nginx/tmp/proxy;
    fastcgi_temp_path $OUT/nginx/tmp/fastcgi;
    uwsgi_temp_path $OUT/nginx/tmp/uwsgi;
    scgi_temp_path $OUT/nginx/tmp/scgi;
    keepalive_requests 1000000;
    upstream sim { server 127.0.0.1:$SIM_PORT; keepalive 512; }
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location / {
            proxy_pass http://sim;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_buffering off;
            proxy_read_timeout 60s;
        }
    }
}
EOF
ulimit -n 65536 2>/dev/null || true

declare -A START_MS
start_nginx() {
    "${PIN_SUT[@]}" "$NGINX" -p "$OUT/nginx" -c "$OUT/nginx/nginx.conf" > "$OUT/nginx/stdout.log" 2>&1 &
    NGINX_PID=$!; PIDS+=("$NGINX_PID")
    wait_http "http://127.0.0.1:$NGINX_PORT/ping"
}
start_portkey() {
    local t0; t0=$(now_ms)
    (cd "$PK_DIR" && NODE_ENV=production exec "${PIN_SUT[@]}" node node_modules/@portkey-ai/gateway/build/start-server.js \
        --port=$PK_PORT --headless) > "$OUT/portkey.log" 2>&1 &
    PK_PID=$!; PIDS+=("$PK_PID")
    wait_http "http://127.0.0.1:$PK_PORT/v1/chat/completions" "${PK_HEADERS[@]}" -d @"$OUT/bodies/small.chat.json"
    START_MS[portkey]=$(( $(now_ms) - t0 ))
}
start_gateway() { # [JAVA_OPTS]
    local t0 opts=${1:-$GATEWAY_JAVA_OPTS}; t0=$(now_ms)
    # shellcheck disable=SC2086
    QUARKUS_HTTP_PORT=$GW_PORT QUARKUS_HTTP_HOST=127.0.0.1 GATEWAY_API_KEYS=$KEY AWS_REGION=us-east-1 \
        GATEWAY_CREDENTIALS_STRATEGY=static AWS_ACCESS_KEY_ID=$AKID AWS_SECRET_ACCESS_KEY=$SECRET \
        AWS_ENDPOINT_URL_BEDROCK_RUNTIME=http://127.0.0.1:$SIM_PORT \
        "${PIN_SUT[@]}" "$JAVA" $opts -jar "$APP/quarkus-run.jar" >> "$OUT/gateway.log" 2>&1 &
    GW_PID=$!; PIDS+=("$GW_PID")
    wait_http "http://127.0.0.1:$GW_PORT/v1/chat/completions" "${CHAT_HEADERS[@]}" -d @"$OUT/bodies/small.chat.json"
    START_MS[gateway]=$(( $(now_ms) - t0 ))
}

has() { [[ " $TARGETS " == *" $1 "* ]]; }
has nginx && { log "starting nginx on :$NGINX_PORT"; start_nginx; }
has portkey && { log "starting @portkey-ai/gateway on :$PK_PORT"; start_portkey; }
FOOTPRINT_JSON=null
if has gateway || has passthrough || has responses; then
    # the small-footprint flag set: start-up and idle RSS only, then the measured gateway
    log "starting the gateway with the footprint flags ($GATEWAY_FOOTPRINT_OPTS)"
    start_gateway "$GATEWAY_FOOTPRINT_OPTS"
    sleep 3
    FOOTPRINT_JSON="{\"startup_ms\":${START_MS[gateway]},\"rss_kb\":$(rss_kb "$GW_PID")}"
    kill "$GW_PID"; wait "$GW_PID" 2>/dev/null || true
    keep=(); for p in "${PIDS[@]}"; do [ "$p" = "$GW_PID" ] || keep+=("$p"); done; PIDS=("${keep[@]}")
    log "starting the gateway on :$GW_PORT ($GATEWAY_JAVA_OPTS)"
    start_gateway
fi

# target -> URL, body kind, headers, SUT pids, stream end marker
url_of() { # TARGET STREAM(0|1)
    case $1 in
        direct) [ "$2" = 1 ] && echo "http://127.0.0.1:$SIM_PORT/model/$MODEL_PATH/converse-stream" \
                               || echo "http://127.0.0.1:$SIM_PORT/model/$MODEL_PATH/converse" ;;
        nginx) [ "$2" = 1 ] && echo "http://127.0.0.1:$NGINX_PORT/model/$MODEL_PATH/converse-stream" \
                              || echo "http://127.0.0.1:$NGINX_PORT/model/$MODEL_PATH/converse" ;;
        portkey) echo "http://127.0.0.1:$PK_PORT/v1/chat/completions" ;;
        gateway) echo "http://127.0.0.1:$GW_PORT/v1/chat/completions" ;;
        passthrough) [ "$2" = 1 ] && echo "http://127.0.0.1:$GW_PORT/bedrock/model/$MODEL_PATH/converse-stream" \
                                    || echo "http://127.0.0.1:$GW_PORT/bedrock/model/$MODEL_PATH/converse" ;;
        responses) echo "http://127.0.0.1:$GW_PORT/v1/responses" ;;
    esac
}
body_of() {
    case $1 in direct|nginx|passthrough) echo "$OUT/bodies/$2.converse.json" ;; responses) echo "$OUT/bodies/$2.responses.json" ;;
        *) echo "$OUT/bodies/$2.chat.json" ;; esac
}
headers_of() { # as LoadGen header= arguments
    echo "header=content-type:application/json"
    case $1 in
        gateway|passthrough|responses) echo "header=authorization:Bearer $KEY" ;;
        portkey) printf '%s\n' "header=x-portkey-provider:bedrock" "header=x-portkey-custom-host:http://127.0.0.1:$SIM_PORT" \
                     "header=x-portkey-aws-access-key-id:$AKID" "header=x-portkey-aws-secret-access-key:$SECRET" \
                     "header=x-portkey-aws-region:us-east-1" ;;
    esac
}
pids_of() { # the processes whose CPU and memory count for the target
    case $1 in
        direct) echo "$SIM_PID" ;;
        nginx) echo "$NGINX_PID $(pgrep -P "$NGINX_PID" | tr '\n' ' ')" ;;
        portkey) echo "$PK_PID" ;;
        gateway|passthrough|responses) echo "$GW_PID" ;;
    esac
}
# (a Responses stream ends with response.completed, whose last bytes are the usage of the whole response)
end_marker() { case $1 in direct|nginx|passthrough) echo "latencyMs" ;; responses) echo '"total_tokens"' ;; *) echo "[DONE]" ;; esac; }

# record SCENARIO TARGET JSON EXTRA_JSON_FIELDS : one line in results.jsonl
record() {
    local scenario=$1 target=$2 json=$3 extra=$4
    printf '{"scenario":"%s","target":"%s",%s,%s\n' "$scenario" "$target" "$extra" "${json#\{}" >> "$RESULTS"
}

# open_loop SCENARIO TARGET BODY STREAM RATE DURATION WARMUP [LoadGen args...]
open_loop() {
    local scenario=$1 target=$2 body=$3 stream=$4 rate=$5 duration=$6 warmup=$7; shift 7
    local pids json args=() h
    # shellcheck disable=SC2207
    pids=($(pids_of "$target"))
    while IFS= read -r h; do args+=("$h"); done < <(headers_of "$target")
    wait_idle "${pids[@]}"
    rm -f "$OUT/rss.tmp" "$OUT/rss.tmp.stop"
    rss_sampler "$OUT/rss.tmp" "${pids[@]}" &
    local sampler=$!
    SAMPLER_PID=$sampler   # for cleanup, if the run is interrupted mid-phase
    # The warm-up runs in the same generator process, right before the measured phase: a generator
    # started cold for the measured phase stalls for hundreds of ms on its own start-up (class loading,
    # JIT, new connections), which showed as a p99 of 400-700 ms for every target, the simulator
    # included. The generator measures the CPU time of the target and the simulator over exactly the
    # measured phase.
    json=$("${LOADGEN[@]}" url="$(url_of "$target" "$stream")" rate="$rate" duration="$duration" warmup="$warmup" \
        body=@"$(body_of "$target" "$body")" "${args[@]}" "$@" label="$scenario" \
        cpu="$(echo "${pids[*]}" | tr ' ' ',')" simcpu="$SIM_PID" series="$OUT/series/$scenario-$target.txt")
    touch "$OUT/rss.tmp.stop"; wait "$sampler" 2>/dev/null || true
    SAMPLER_PID=
    record "$scenario" "$target" "$json" "\"rss_peak_kb\":$(cat "$OUT/rss.tmp")"
    log "$scenario $target: $(echo "$json" | cut -c1-230)"
}

# wait_idle PID... : until the processes use under 5% of a CPU (a backlog from an overloaded phase
# must not spill into the next one), at most 60 s
wait_idle() {
    local a b i
    for i in $(seq 1 120); do
        a=$(cpu_ms "$@"); sleep 0.5; b=$(cpu_ms "$@")
        [ $((b - a)) -le 25 ] && return 0
    done
    log "still busy after 60 s: $*"
}

# ---------------------------------------------------------------- idle footprint
sleep 3
printf '{"scenario":"footprint","target":"gateway","flags":"%s","data":%s}\n' "$GATEWAY_FOOTPRINT_OPTS" "$FOOTPRINT_JSON" >> "$RESULTS"
for t in $TARGETS; do
    # shellcheck disable=SC2046
    printf '{"scenario":"idle","target":"%s","rss_kb":%s,"startup_ms":%s}\n' "$t" "$(rss_kb $(pids_of "$t"))" \
        "${START_MS[$t]:-null}" >> "$RESULTS"
done
printf '{"scenario":"machine","cpus":%s,"model":"%s","load_start":"%s","java":"%s","gateway_java_opts":"%s","pinned":%s,"quick":%s,"duration_s":%s,"warmup_s":%s,"malloc_arena_max":"%s","global_warmup_s":%s}\n' \
    "$NCPU" "$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)" "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$("$JAVA" -version 2>&1 | head -1 | tr -d '"')" "$GATEWAY_JAVA_OPTS" "$PIN" "$QUICK" "$DURATION" "$WARMUP" "$MALLOC_ARENA_MAX" "$GLOBAL_WARMUP" >> "$RESULTS"

# ---------------------------------------------------------------- scenarios
scenario() { [[ " $SCENARIOS " == *" $1 "* ]]; }

# Global warm-up: closed loop for plain requests (it cannot overload anyone), then streams at a low rate.
for t in $TARGETS; do
    log "warm-up $t: ${GLOBAL_WARMUP}s"
    wl=$OUT/warm-$t.lua
    {
        echo 'wrk.method = "POST"'
        printf 'wrk.body = [==[%s]==]\n' "$(cat "$(body_of "$t" small)")"
        headers_of "$t" | sed 's/^header=//' | while IFS= read -r h; do
            printf 'wrk.headers["%s"] = [==[%s]==]\n' "${h%%:*}" "${h#*:}"
        done
    } > "$wl"
    "${PIN_LOAD[@]}" wrk -t1 -c16 -d"$GLOBAL_WARMUP"s -s "$wl" "$(url_of "$t" 0)" > /dev/null 2>&1 || true
    # and the streaming code paths: 500-token streams at 20/s for half as long
    # shellcheck disable=SC2046
    wait_idle $(pids_of "$t")
    sargs=(); while IFS= read -r h; do sargs+=("$h"); done < <(headers_of "$t")
    "${LOADGEN[@]}" url="$(url_of "$t" 1)" rate=20 duration=$((GLOBAL_WARMUP / 2)) body=@"$(body_of "$t" s500)" \
        "${sargs[@]}" marker=tok1 expect="$(end_marker "$t")" timeout=60 label=warmup > /dev/null || true
    # shellcheck disable=SC2046
    wait_idle $(pids_of "$t")
done

if scenario rates; then
    # Fixed rates, open loop; targets interleaved at each rate so they see the same background load.
    for rate in $RATES; do
        for t in $TARGETS; do
            open_loop "rate$rate" "$t" small 0 "$rate" "$DURATION" "$WARMUP" conns=128 timeout=15
        done
    done
fi

if scenario peak; then
    # Peak throughput, closed loop (wrk, $WRK_CONNS connections), instant upstream.
    for t in $TARGETS; do
        lua=$OUT/wrk-$t.lua
        {
            echo 'wrk.method = "POST"'
            printf 'wrk.body = [==[%s]==]\n' "$(cat "$(body_of "$t" small)")"
            headers_of "$t" | sed 's/^header=//' | while IFS= read -r h; do
                printf 'wrk.headers["%s"] = [==[%s]==]\n' "${h%%:*}" "${h#*:}"
            done
        } > "$lua"
        url=$(url_of "$t" 0)
        # shellcheck disable=SC2046
        wait_idle $(pids_of "$t")
        "${PIN_LOAD[@]}" wrk -t1 -c"$WRK_CONNS" -d"$WARMUP"s -s "$lua" "$url" > /dev/null 2>&1 || true
        # shellcheck disable=SC2207
        pids=($(pids_of "$t"))
        c0=$(cpu_ms "${pids[@]}")
        "${PIN_LOAD[@]}" wrk -t1 -c"$WRK_CONNS" -d"$PEAK_SECONDS"s --latency -s "$lua" "$url" > "$OUT/wrk-$t.txt" 2>&1 || true
        c1=$(cpu_ms "${pids[@]}")
        rps=$(awk '/^Requests\/sec/ {print $2}' "$OUT/wrk-$t.txt")
        total=$(awk '/requests in/ {print $1}' "$OUT/wrk-$t.txt")
        non2xx=$(awk '/Non-2xx/ {print $NF}' "$OUT/wrk-$t.txt"); non2xx=${non2xx:-0}
        sockerr=$(awk -F'[ ,]+' '/Socket errors/ {print $4+$6+$8+$10}' "$OUT/wrk-$t.txt"); sockerr=${sockerr:-0}
        p50=$(awk '/^ +50%/ {print $2}' "$OUT/wrk-$t.txt")
        p99=$(awk '/^ +99%/ {print $2}' "$OUT/wrk-$t.txt")
        printf '{"scenario":"peak","target":"%s","rps":%s,"requests":%s,"errors":%s,"p50":"%s","p99":"%s","sut_cpu_ms":%s}\n' \
            "$t" "${rps:-0}" "${total:-0}" $((non2xx + sockerr)) "$p50" "$p99" $((c1 - c0)) >> "$RESULTS"
        log "peak $t: ${rps:-?} req/s, errors $((non2xx + sockerr)), p50 $p50 p99 $p99"
    done
fi

if scenario ttft; then
    # Time to first token: open loop, 20 streams/s of 20 tokens, instant upstream.
    for t in $TARGETS; do
        open_loop ttft "$t" ttft 1 20 "$DURATION" "$WARMUP" marker=tok1 expect="$(end_marker "$t")" timeout=30
    done
fi

if scenario chunks; then
    # CPU per streamed chunk: 500-token streams (and 1-token streams, to take the per-request part out).
    for t in $TARGETS; do
        open_loop chunks500 "$t" s500 1 20 "$DURATION" "$WARMUP" marker=tok1 expect="$(end_marker "$t")" timeout=60
        open_loop chunks1 "$t" s1 1 20 "$DURATION" 0 marker=tok1 expect="$(end_marker "$t")" timeout=60
    done
fi

if scenario hold; then
    # HOLD_STREAMS concurrent slow streams (97 tokens 40 ms apart: about 4 s each), opened over 1.5 s.
    for t in $TARGETS; do
        open_loop hold "$t" slow 1 $((HOLD_STREAMS * 2 / 3)) 1.5 0 marker=tok1 expect="$(end_marker "$t")" \
            conns=$((HOLD_STREAMS + 100)) timeout=60
    done
fi

for t in $TARGETS; do
    # shellcheck disable=SC2046
    printf '{"scenario":"after","target":"%s","rss_kb":%s}\n' "$t" "$(rss_kb $(pids_of "$t"))" >> "$RESULTS"
done
printf '{"scenario":"machine_end","load_end":"%s"}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS"

node "$BENCH/report.mjs" "$RESULTS" | tee "$OUT/table.md"
log "results: $RESULTS"
if [ "${BENCH_UPDATE_DOCS:-0}" = 1 ]; then
    # replace the table between the results markers of docs/performance.md
    node -e '
        const fs = require("fs");
        const [doc, table, when] = process.argv.slice(1);
        const text = fs.readFileSync(doc, "utf8");
        const block = `<!-- results:begin -->\nRun of ${when} (\`bench/run.sh\`, raw results in bench/.work/runs/). ` +
            fs.readFileSync(table, "utf8").trim() + "\n<!-- results:end -->";
        fs.writeFileSync(doc, text.replace(/<!-- results:begin -->[\s\S]*<!-- results:end -->/, block));
    ' "$ROOT/docs/performance.md" "$OUT/table.md" "$RUN_ID"
    log "docs/performance.md updated"
fi

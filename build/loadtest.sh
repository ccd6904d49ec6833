#!/usr/bin/env bash
# loadtest.sh — samples/WebApp under load on loopback: builds it and bench/DigitsML.LoadTest (Release), starts the app on
# a free port, waits for GET /health, writes an MNIST test digit as a 28 × 28 PNG, checks the app reads it as its label,
# then for each client count runs that many concurrent HttpClient loops posting the PNG to POST /api/digits (a warm-up,
# then a measured phase bounded in time and in count), prints requests/s and nearest-rank p50/p99 latency per count,
# and stops the app. Any request answered outside 2xx or failed makes the script fail.
# Goal (issue 14): >= 5,000 requests/s and p99 <= 20 ms at 8 clients on this 2-core machine.
# With --flood N: N more clients post a large PNG of the same digit (--flood-size, default 2048 x 2048) without pause
# while one normal client (--clients, default 1) is measured; it prints the normal client's p50/p99, the flood's statuses
# (200/400/429/503) and the server's RSS before, at peak and --after seconds after the flood (issue 20's goal: normal
# p99 <= 50 ms, RSS <= 1 GB at peak and <= 400 MB a minute after).
# Usage: build/loadtest.sh [--clients LIST] [--duration S] [--warmup S] [--max-requests N] [--timeout S] [--index N]
#                          [--baseline] [--flood N [--flood-size PX] [--after S]] [-- APP ARGUMENTS]
#   --clients LIST      comma-separated counts of concurrent clients, one run each (default 1,8,64; with --flood: 1)
#   --duration S        seconds each run's measured phase starts requests (default 10)
#   --warmup S          seconds of untimed requests before each run, on the same connections (default 2)
#   --max-requests N    at most N requests per measured phase, all clients together (default 1000000)
#   --timeout S         seconds a request may take before it counts as an error (default 10)
#   --index N           which MNIST test image to post (default 0, a 7)
#   --baseline          load the tool's own trivial server instead of the app: the client's ceiling on this machine
#   --flood N           flood mode: N clients post a large PNG without pause while the normal client is measured
#   --flood-size PX     the flood image's width and height in pixels (default 2048)
#   --after S           seconds after the flood ends at which the server's RSS is read again (default 60)
#   -- APP ARGUMENTS    passed to the app as they are (configuration such as a model path)
# The app runs from samples/WebApp as `dotnet run` would run it (its folder is the content root), its output goes to a
# log shown when it fails to start. Run it on an otherwise idle machine: the client shares the CPUs with the app.
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { sed -n '2,/^# The app runs/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }
number() { [[ "$2" =~ ^[0-9]+$ ]] || die "$1 takes a whole number, not '$2' (see build/loadtest.sh --help)"; }
seconds() { [[ "$2" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "$1 takes seconds, like 10 or 0.5, not '$2' (see build/loadtest.sh --help)"; }

clients="" duration=10 warmup=2 max_requests=1000000 timeout=10 index=0 baseline=0 app_args=()
flood=0 flood_size=2048 after=60
while (($#)); do
    case "$1" in
        -h|--help) usage; exit 0 ;;
        --clients|--duration|--warmup|--max-requests|--timeout|--index|--flood|--flood-size|--after)
            (($# >= 2)) || die "$1 needs a value (see build/loadtest.sh --help)" ;;&
        --clients) [[ "$2" =~ ^[0-9]+(,[0-9]+)*$ ]] || die "--clients takes counts like 1,8,64, not '$2'"; clients="$2"; shift 2 ;;
        --duration) seconds --duration "$2"; duration="$2"; shift 2 ;;
        --warmup) seconds --warmup "$2"; warmup="$2"; shift 2 ;;
        --max-requests) number --max-requests "$2"; max_requests="$2"; shift 2 ;;
        --timeout) seconds --timeout "$2"; timeout="$2"; shift 2 ;;
        --index) number --index "$2"; index="$2"; shift 2 ;;
        --baseline) baseline=1; shift ;;
        --flood) number --flood "$2"; ((10#$2 >= 1)) || die "--flood takes at least 1 client"; flood="$2"; shift 2 ;;
        --flood-size) number --flood-size "$2"; flood_size="$2"; shift 2 ;;
        --after) seconds --after "$2"; after="$2"; shift 2 ;;
        --) shift; app_args=("$@"); break ;;
        *) die "unknown option '$1' (see build/loadtest.sh --help)" ;;
    esac
done
((baseline)) && ((${#app_args[@]})) && die "--baseline runs no app: app arguments after -- make no sense with it"
((baseline && flood)) && die "--baseline and --flood: the trivial server does no work to flood"
[ -n "$clients" ] || { ((flood)) && clients=1 || clients="1,8,64"; }
((flood)) && [[ "$clients" == *,* ]] && die "--flood measures one count of normal clients: give --clients N with one number"
command -v curl >/dev/null || die "curl is missing: install Debian's curl (the script asks GET /health with it)"

"$REPO_ROOT/build/setup.sh"
app_project="$REPO_ROOT/samples/WebApp/WebApp.csproj"
tool_project="$REPO_ROOT/bench/DigitsML.LoadTest/DigitsML.LoadTest.csproj"
tool="$REPO_ROOT/bench/DigitsML.LoadTest/bin/Release/net10.0/DigitsML.LoadTest.dll"
say "building (Release)"
build_quietly "$tool_project"
if ((!baseline)); then
    [ -f "$app_project" ] || die "$app_project is missing: the web sample is not in this checkout"
    build_quietly "$app_project"
    app_dll="$(dotnet msbuild "$app_project" -nologo -getProperty:TargetPath -p:Configuration=Release)" \
        || die "cannot ask msbuild where $app_project builds to"
    [ -f "$app_dll" ] || die "the build of $app_project left no $app_dll"
fi

work="$(mktemp -d)"
server_pid=""
# Stops the server (SIGTERM: ASP.NET Core shuts down gracefully; SIGKILL after 10 s) and removes the work folder, however
# the script ends.
stop_server() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        for _ in $(seq 1 100); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.1; done
        kill -0 "$server_pid" 2>/dev/null && { say "the server did not stop in 10 s: killing it"; kill -KILL "$server_pid" 2>/dev/null || true; }
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
    rm -rf "$work"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# A port nothing listens on, below Linux's ephemeral range (32768 and up) so no outgoing connection takes it meanwhile.
free_port() {
    local port
    for _ in $(seq 1 100); do
        port=$((20000 + RANDOM % 12000))
        (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
    done
    die "found no free loopback port between 20000 and 32000 in 100 tries"
}
port="$(free_port)"
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
base="http://127.0.0.1:$port"
log="$work/server.log"
if ((baseline)); then
    say "starting the trivial server of DigitsML.LoadTest on $base (the client's ceiling, no recognition)"
    dotnet "$tool" --trivial-server --port "$port" >"$log" 2>&1 &
else
    say "starting samples/WebApp on $base"
    (cd "$REPO_ROOT/samples/WebApp" && exec dotnet "$app_dll" --urls "$base" "${app_args[@]}") >"$log" 2>&1 &
fi
server_pid=$!
server_failed() {
    printf '%s\n' "--- the last lines of the server's output ($log):" >&2
    tail -n 30 "$log" >&2 || true
    die "$1"
}
for _ in $(seq 1 1200); do
    curl -fsS -o /dev/null --max-time 2 "$base/health" 2>/dev/null && break
    kill -0 "$server_pid" 2>/dev/null || server_failed "the server exited before it answered GET /health (a model missing? see its output above)"
    sleep 0.1
done
curl -fsS -o /dev/null --max-time 2 "$base/health" 2>/dev/null || server_failed "GET $base/health did not answer 2xx within 120 s"

png="$work/digit.png"
made="$(dotnet "$tool" --make-png "$png" --mnist "$MNIST_DIR" --index "$index")" || die "could not write MNIST test image $index as a PNG"
label="${made##*label=}"
check=(--expect-digit "$label")
((baseline)) && check=(--no-answer-check)

if ((flood)); then
    big="$work/flood.png"
    dotnet "$tool" --make-png "$big" --mnist "$MNIST_DIR" --index "$index" --size "$flood_size" >/dev/null \
        || die "could not write MNIST test image $index as a $flood_size x $flood_size PNG"
    # The flood in a process of its own, from 2 s before the normal client's run to 2 s after it; the normal client is
    # an ordinary run, so the flood's work does not queue its requests inside one client process.
    flood_seconds="$(awk -v w="$warmup" -v d="$duration" 'BEGIN { print w + d + 4 }')"
    say "flood: $flood clients posting a $flood_size x $flood_size PNG ($(stat -c %s "$big") bytes) for $flood_seconds s; $clients normal client(s)"
    dotnet "$tool" --url "$base/api/digits" --flood-png "$big" --flood-clients "$flood" --duration "$flood_seconds" \
        --timeout "$timeout" --server-pid "$server_pid" --after "$after" >"$work/flood.out" &
    flood_pid=$!
    sleep 2
    set +e
    out="$(dotnet "$tool" --url "$base/api/digits" --png "$png" --clients "$clients" --duration "$duration" --warmup "$warmup" \
        --max-requests "$max_requests" --timeout "$timeout" "${check[@]}")"
    status=$?
    wait "$flood_pid"
    flood_status=$?
    set -e
    normal="$(grep -m1 '^clients=' <<<"$out" || true)" floodline="$(grep -m1 '^flood_requests=' "$work/flood.out" || true)"
    [ -n "$normal" ] || die "the normal client's run failed (exit status $status): see the errors above"
    [ -n "$floodline" ] || die "the flood failed (exit status $flood_status): see the errors above"
    printf 'normal client(s) %s: %s requests, p50 %s ms, p99 %s ms, %s errors\n' "$clients" "$(field requests "$normal" -)" \
        "$(field p50_ms "$normal" -)" "$(field p99_ms "$normal" -)" "$(field errors "$normal" -)"
    printf 'flood (%s clients): %s requests: %s x 200, %s x 400, %s x 429, %s x 503, %s other, %s without an answer\n' "$flood" \
        "$(field flood_requests "$floodline" -)" "$(field flood_200 "$floodline" -)" "$(field flood_400 "$floodline" -)" \
        "$(field flood_429 "$floodline" -)" "$(field flood_503 "$floodline" -)" "$(field flood_other "$floodline" -)" \
        "$(field flood_failed "$floodline" -)"
    printf 'server RSS: %s MB before, %s MB at peak, %s MB %s s after the flood\n' "$(field rss_before_mb "$floodline" -)" \
        "$(field rss_peak_mb "$floodline" -)" "$(field rss_after_mb "$floodline" -)" "$(field after_s "$floodline" -)"
    verdict="$(awk -v p="$(field p99_ms "$normal" -)" -v e="$(field errors "$normal" -)" -v peak="$(field rss_peak_mb "$floodline" -)" \
        -v after="$(field rss_after_mb "$floodline" -)" 'BEGIN { print (p <= 50 && e == 0 && peak <= 1024 && after <= 400) ? "met" : "MISSED" }')"
    printf 'goal: normal p99 <= 50 ms with no errors, RSS <= 1 GB at peak and <= 400 MB after: %s\n' "$verdict"
    printf '(%s, %s CPUs: %s; %s; load average before the run: %s)\n' "$(uname -n)" "$(nproc)" \
        "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || echo unknown CPU)" "$(date -u +%Y-%m-%d)" "$load_before"
    ((status == 0)) || die "normal requests failed under the flood (exit status $status): see the errors above"
    exit 0
fi

say "load: clients $clients, each run ${warmup} s warm-up then ${duration} s or $max_requests requests"
set +e
out="$(dotnet "$tool" --url "$base/api/digits" --png "$png" --clients "$clients" --duration "$duration" --warmup "$warmup" \
    --max-requests "$max_requests" --timeout "$timeout" "${check[@]}")"
status=$?
set -e

grep -q '^clients=' <<<"$out" || die "the load test failed before its first run (exit status $status): see the errors above"
answer="$(grep -m1 '^answer: ' <<<"$out" | sed 's/^answer: //' || true)"
[ -n "$answer" ] && printf 'first answer (MNIST test image %s, label %s): %s\n' "$index" "$label" "${answer#*body=}"
printf '%8s %10s %8s %10s %8s %8s %7s %6s %10s %7s\n' clients requests seconds "requests/s" "p50 ms" "p99 ms" errors conns "client CPU" "client"
printf '%8s %10s %8s %10s %8s %8s %7s %6s %10s %7s\n' "" "" "" "" "" "" "" "" "us/request" cores
goal_rps="-" goal_p99="-" goal_errors=0
while read -r line; do
    [[ "$line" == clients=* ]] || continue
    c="$(field clients "$line" -)" rps="$(field rps "$line" -)" p99="$(field p99_ms "$line" -)" cpu="$(field client_cpu_us_per_request "$line" -)"
    cores="$(awk -v u="$cpu" -v r="$rps" 'BEGIN { if (u == "-") print "-"; else printf "%.2f", u * r / 1e6 }')"
    printf '%8s %10s %8s %10s %8s %8s %7s %6s %10s %7s\n' "$c" "$(field requests "$line" -)" "$(field seconds "$line" -)" "$rps" \
        "$(field p50_ms "$line" -)" "$p99" "$(field errors "$line" -)" "$(field connections "$line" -)" "$cpu" "$cores"
    [ "$c" = 8 ] && { goal_rps="$rps"; goal_p99="$p99"; goal_errors="$(field errors "$line" -)"; }
done <<<"$out"
if ((baseline)); then
    printf 'goal: not judged: this is the trivial server, the ceiling of the client on this machine, not the app\n'
elif [ "$goal_rps" = "-" ] || [ "$goal_p99" = "-" ]; then
    printf 'goal: >= 5,000 requests/s and p99 <= 20 ms at 8 clients: not judged (no run at 8 clients)\n'
elif [ "$goal_errors" != 0 ]; then
    printf 'goal: >= 5,000 requests/s and p99 <= 20 ms at 8 clients: MISSED (%s requests failed)\n' "$goal_errors"
else
    verdict="$(awk -v r="$goal_rps" -v p="$goal_p99" 'BEGIN { print (r >= 5000 && p <= 20) ? "met" : "MISSED" }')"
    printf 'goal: >= 5,000 requests/s and p99 <= 20 ms at 8 clients: %s (%s requests/s, p99 %s ms)\n' "$verdict" "$goal_rps" "$goal_p99"
fi
printf '(%s, %s CPUs: %s; %s)\n' "$(uname -n)" "$(nproc)" \
    "$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || echo unknown CPU)" "$(date -u +%Y-%m-%d)"
printf '(%s on 127.0.0.1, HTTP/1.1 keep-alive, one connection per client; each request posts a %s-byte PNG of MNIST\n' \
    "$( ((baseline)) && echo "the trivial server" || echo "samples/WebApp")" "$(stat -c %s "$png")"
printf ' test image %s; each run: %s s warm-up, then %s s or %s requests; latency from sending to the whole answer read,\n' \
    "$index" "$warmup" "$duration" "$max_requests"
printf ' nearest rank; client CPU: the load tool'"'"'s own process, which shares the CPUs with the server)\n'
((status == 0)) || die "the load test failed (exit status $status): see the errors above"

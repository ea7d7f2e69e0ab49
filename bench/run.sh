#!/usr/bin/env bash
# Runs every benchmark workload against Confab and the minimal broadcaster, one fresh
# server per run, and prints the figures BENCHMARKS.md reports.
#   bench/run.sh [paced|max|heavy|conns|store|history|metrics|receipts|all]   (default: all)
# Confab runs with per-connection rate limits lifted (the load is the point) and a
# fresh database. For "max" the server is pinned to core 0 and the tool to core 1.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --quiet --release -p confab -p confab-bench
bin=target/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

start() { # name cpu-list command...
  local name=$1 cpus=$2; shift 2
  taskset -c "$cpus" "$@" > "$work/$name.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 100); do grep -q "listening" "$work/$name.log" 2>/dev/null && return; sleep 0.05; done
  echo "server $name did not start"; cat "$work/$name.log"; exit 1
}
stop() { kill "$server_pid"; wait "$server_pid" 2>/dev/null || true; }

confab() { # cpu-list [sync [extra flags...]]
  rm -f "$work"/c.db*
  start confab "$1" $bin/confab --addr 127.0.0.1:18080 --db "$work/c.db" --sync "${2:-full}" \
    --rate-per-sec 1000000 --rate-burst 1000000 --max-connections 20000 "${@:3}"
  url=ws://127.0.0.1:18080/
}
minimal() { start minimal "$1" $bin/minimal-broadcaster 127.0.0.1:19090; url=ws://127.0.0.1:19090/; }
tool() { taskset -c "$1" $bin/confab-bench --url "$url" --pid "$server_pid" "${@:2}"; }

run() {
  case $1 in
  paced)
    for server in "confab 0,1 full" "confab 0,1 normal" "minimal 0,1"; do
      echo "== paced: $server"; $server
      tool 0,1 fanout --clients 200 --senders 20 --rate 10 --seconds 10; stop
    done
    # The same with every sender on one clock: bursts of 20 messages every 100 ms.
    for server in "confab 0,1 full" "minimal 0,1"; do
      echo "== paced, senders aligned: $server"; $server
      tool 0,1 fanout --clients 200 --senders 20 --rate 10 --seconds 10 --aligned; stop
    done ;;
  max)
    for server in "confab 0 full" "confab 0 normal" "minimal 0"; do
      echo "== max: $server (server on core 0, tool on core 1)"; $server
      tool 1 fanout --clients 200 --senders 20 --rate 0 --window 16 --seconds 10; stop
    done ;;
  heavy)
    for server in "confab 0,1 full" "minimal 0,1"; do
      echo "== heavy: $server"; $server
      tool 0,1 fanout --clients 1000 --senders 50 --rate 20 --seconds 10; stop
    done ;;
  conns)
    for server in "confab 0,1" "minimal 0,1"; do
      echo "== conns: $server, 10 000 idle clients, all in one room"; $server
      tool 0,1 --handshakes 256 conns --clients 10000; stop
    done ;;
  store)
    for sync in full normal; do
      echo "== store: confab --sync $sync, 20 clients all sending as fast as a window of 64 allows"; confab 0,1 $sync
      tool 0,1 fanout --clients 20 --senders 20 --rate 0 --window 64 --seconds 10; stop
    done ;;
  history)
    echo "== history: confab"; confab 0,1
    tool 0,1 history --messages 100 --joins 50; stop ;;
  metrics)
    # "paced" with and without the Prometheus recorder, alternately, three times,
    # and a scrape 3 s into one run and 3 s later: the counters must move.
    for i in 1 2 3; do
      echo "== metrics: paced, confab normal, no metrics ($i)"; confab 0,1 normal
      tool 0,1 fanout --clients 200 --senders 20 --rate 10 --seconds 10; stop
      echo "== metrics: paced, confab normal, --metrics-addr ($i)"; confab 0,1 normal --metrics-addr 127.0.0.1:19100
      if [ "$i" = 2 ]; then
        (sleep 3; curl -s 127.0.0.1:19100/metrics | grep -E '^confab_(deliveries_total|frames_in_total|connections) ';
         sleep 3; echo "-- 3 s later"; curl -s 127.0.0.1:19100/metrics | grep -E '^confab_(deliveries_total|frames_in_total|connections) ') &
      fi
      tool 0,1 fanout --clients 200 --senders 20 --rate 10 --seconds 10; stop
    done
    echo "== metrics: yardstick"; minimal 0,1
    tool 0,1 fanout --clients 200 --senders 20 --rate 10 --seconds 10; stop ;;
  receipts)
    # Typing and read receipts mixed in (issue 13), against the same chat without,
    # alternately: "paced" as it is (200 > --big-room 100: nothing is fanned out),
    # "paced" in a room under the big-room size (every event reaches everyone),
    # and "max".
    for i in 1 2 3 4 5; do
      for extra in "" "--receipts"; do
        echo "== receipts: paced, confab normal ${extra:-(chat only)} ($i)"; confab 0,1 normal
        tool 0,1 fanout --clients 200 --senders 20 --rate 10 --seconds 10 $extra; stop
        echo "== receipts: paced, small room, confab normal ${extra:-(chat only)} ($i)"
        confab 0,1 normal --big-room 1000
        tool 0,1 fanout --clients 200 --senders 20 --rate 10 --seconds 10 $extra; stop
      done
    done
    for i in 1 2 3; do
      for extra in "" "--receipts"; do
        echo "== receipts: max, small room, confab normal ${extra:-(chat only)} ($i)"
        confab 0 normal --big-room 1000
        tool 1 fanout --clients 200 --senders 20 --rate 0 --window 16 --seconds 10 $extra; stop
      done
    done ;;
  all) for w in paced max heavy conns store history receipts; do run $w; done ;;
  *) echo "unknown workload $1"; exit 2 ;;
  esac
}
run "${1:-all}"

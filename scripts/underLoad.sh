#!/usr/bin/env bash
# Runs a command while stress-ng keeps this machine busy, then stops stress-ng, so a timing-dependent
# test shows itself here rather than on a busy CI runner. Exits with the command's exit code.
#   scripts/underLoad.sh [-n RUNS] [--] COMMAND [ARGS...]
#   scripts/underLoad.sh -n 5 node out/scripts/testHost/runTests.js --grep='Scan failures'
# -n RUNS runs the command that many times under the same load and prints one result line per run
# (exit code: the last failure's, else 0). The load, one worker per core by default:
#   LOAD_CPU=<workers> (default: nproc)  LOAD_CPU_PERCENT=<1-100> (90)  LOAD_IO=<sync() workers> (1)
#   LOAD_NICE=<nice of the workers> (0: they compete with the tests on equal terms)
# A --timeout bounds stress-ng's life even if this script is killed with SIGKILL.
set -euo pipefail

runs=1
if [ "${1:-}" = "-n" ]; then
  runs="${2:?-n wants a number}"
  shift 2
fi
if [ "${1:-}" = "--" ]; then
  shift
fi
if [ "$#" -eq 0 ]; then
  sed -n '2,10p' "$0" >&2
  exit 2
fi
if ! command -v stress-ng >/dev/null; then
  echo "error: stress-ng is not installed (apt-get install stress-ng)" >&2
  exit 2
fi

cpu="${LOAD_CPU:-$(nproc)}"
percent="${LOAD_CPU_PERCENT:-90}"
io="${LOAD_IO:-1}"
niceness="${LOAD_NICE:-0}"
load=(--cpu "$cpu" --cpu-load "$percent" --io "$io" --timeout 4h --quiet)

# Its own session (and so process group): stopping it stops every worker it forked, and nothing else.
setsid nice -n "$niceness" stress-ng "${load[@]}" </dev/null &
stress=$!
stop() {
  if kill -0 "$stress" 2>/dev/null; then
    kill -TERM -- "-$stress" 2>/dev/null || true
    for _ in $(seq 50); do
      kill -0 "$stress" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL -- "-$stress" 2>/dev/null || true
  fi
  wait "$stress" 2>/dev/null || true
}
trap stop EXIT
trap 'exit 130' INT TERM
sleep 2 # let the workers spin up before the command starts
echo "underLoad: stress-ng ${load[*]} (nice $niceness, pid $stress); load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2

status=0
for run in $(seq "$runs"); do
  started=$(date +%s)
  set +e
  "$@"
  code=$?
  set -e
  if [ "$code" -ne 0 ]; then
    status=$code
  fi
  if [ "$runs" -gt 1 ]; then
    echo "underLoad: run $run/$runs exit $code in $(( $(date +%s) - started )) s; load average $(cut -d' ' -f1-3 /proc/loadavg)" >&2
  fi
done
exit "$status"

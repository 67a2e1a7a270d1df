#!/usr/bin/env bash
# Start-to-ready benchmark (issue 15): starts `java -jar target/vigil.jar` with the sample off RUNS times (default 5)
# and prints how long each took from the process start to /observe/health/ready answering 200, and the median.
# usage: docker/start-to-ready.sh [RUNS] [extra JVM options...]
#   docker/start-to-ready.sh 5                                   # as shipped (uses target/vigil.jsa when present)
#   VIGIL_CDS=off docker/start-to-ready.sh 5                     # without the AppCDS archive
# The AppCDS archive (class data sharing for Vigil's own and its libraries' classes) is made by one training start:
#   docker/start-to-ready.sh train
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/vigil.jar
JSA=target/vigil.jsa
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# one start; prints milliseconds to ready; $@: extra JVM options
once() {
  local p data pid start code ms
  p=$(port); data=$(mktemp -d)
  start=$(date +%s%N)
  VIGIL_SAMPLE_ENABLED=false VIGIL_HTTP_HOST=127.0.0.1 VIGIL_HTTP_PORT=$p VIGIL_DATA_DIR=$data \
    java "$@" -jar "$JAR" >"$data/out.log" 2>&1 &
  pid=$!
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/observe/health/ready" || true)
    if [[ "$code" == 200 ]]; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "vigil exited before ready: $(tail -5 "$data/out.log")" >&2; return 1; fi
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  kill -s "${SIGNAL:-KILL}" "$pid"; wait "$pid" 2>/dev/null || true  # TERM: a graceful exit (training)
  rm -rf "$data"
  echo "$ms"
}

if [[ "${1:-}" == "train" ]]; then
  rm -f "$JSA"
  SIGNAL=TERM once -XX:ArchiveClassesAtExit="$JSA" >/dev/null
  echo "AppCDS archive: $JSA ($(du -h "$JSA" | cut -f1))"
  exit 0
fi
RUNS=${1:-5}; shift || true
opts=("$@")
if [[ "${VIGIL_CDS:-on}" != off && -f "$JSA" ]]; then opts+=(-XX:SharedArchiveFile="$JSA"); fi
times=()
for i in $(seq "$RUNS"); do
  t=$(once "${opts[@]}"); times+=("$t"); echo "run $i: ${t} ms"
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median " a[int((NR+1)/2)] " ms, min " a[1] " ms, max " a[NR] " ms"}'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), JVM options: ${opts[*]:-(none)}"

#!/usr/bin/env bash
# Start-to-ready benchmark (issue 15; docs/start-up.md): starts Vigil with the sample off RUNS times per variant,
# the variants interleaved (run 1 of each, then run 2 of each...: a busy machine slows them alike), and prints
# per start the wall time from the process start to /observe/health/ready answering 200 and the CPU time the
# process had used by then (user + system, all threads: much less disturbed by other load than the wall time),
# then the median of each per variant.
# usage: docker/start-to-ready.sh [RUNS] [VARIANT...]        (default: 5 jar)
#   jar          java -XX:SharedArchiveFile=target/vigil.jsa -XX:CompileThresholdScaling=5 -jar target/vigil.jar (the documented run command;
#                ./mvnw -B -DskipTests package makes the archive)
#   plain        java -jar target/vigil.jar                                         (no AppCDS archive)
#   image        the image's entrypoint, target/vigil-image.tar unpacked into target/start-to-ready/rootfs and
#                started in a chroot as user 10001 (as ContainerImageIT does; needs root)
#   image-plain  the same without its -XX:SharedArchiveFile (the JDK's default archive only)
# e.g. docker/start-to-ready.sh 5 plain jar image-plain image
# Extra JVM options for every start: JAVA_OPTS="-Xlog:class+load:file=/tmp/cl.txt" (jar and plain only).
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=target/vigil.jar
JSA=target/vigil.jsa
WORK=target/start-to-ready
RUNS=${1:-5}; shift || true
VARIANTS=("$@"); [[ ${#VARIANTS[@]} -gt 0 ]] || VARIANTS=(jar)
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ticks=$(getconf CLK_TCK)

# the image's file system, its entrypoint and the command that runs it there (chroot, own mount namespace)
unpack_image() {
  [[ -f "$WORK/unpacked" && "$WORK/unpacked" -nt target/vigil-image.tar ]] && return
  [[ "$(id -u)" == 0 ]] || { echo "the image variants need root (chroot, mounts)" >&2; exit 1; }
  rm -rf "$WORK"; mkdir -p "$WORK/tar" "$WORK/rootfs"
  tar -xf target/vigil-image.tar -C "$WORK/tar"
  for layer in $(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))[0]["Layers"]))' "$WORK/tar/manifest.json"); do
    tar --warning=no-unknown-keyword --numeric-owner -xzf "$WORK/tar/$layer" -C "$WORK/rootfs"
  done
  mkdir -p "$WORK/rootfs/proc" "$WORK/rootfs/dev"
  touch "$WORK/unpacked"
}
entrypoint() {
  python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))[0]; c=json.load(open(sys.argv[1].rsplit("/",1)[0]+"/"+m["Config"]))["config"]; print("\n".join(c["Entrypoint"]))' "$WORK/tar/manifest.json"
}
IN_IMAGE='
R="$1"; shift
mount -t proc proc "$R/proc"
mount -t tmpfs -o mode=755,size=64k tmpfs "$R/dev"
for d in null zero full random urandom tty; do touch "$R/dev/$d"; mount --bind "/dev/$d" "$R/dev/$d"; done
mount -t tmpfs -o mode=1777,size=64m tmpfs "$R/tmp"
mount -t tmpfs -o mode=1777,size=64m tmpfs "$R/data"
for f in hosts resolv.conf hostname; do if [ -e "/etc/$f" ]; then touch "$R/etc/$f"; mount --bind "/etc/$f" "$R/etc/$f"; fi; done
exec python3 -c "
import os, sys
os.chroot(sys.argv[1]); os.chdir(\"/app\"); os.setgroups([]); os.setgid(10001); os.setuid(10001)
env = {k: v for k, v in os.environ.items() if k.startswith(\"VIGIL_\")}
env.update(PATH=\"/opt/java/bin\", JAVA_HOME=\"/opt/java\", LANG=\"C.UTF-8\", VIGIL_DATA_DIR=\"/data\")
os.execve(sys.argv[2], sys.argv[2:], env)
" "$R" "$@"'

# one start of VARIANT; prints "WALL_MS CPU_MS"
once() {
  local variant=$1 p log pid start code ms cpu data
  p=$(port); log=$(mktemp); data=$(mktemp -d)
  local cmd=()
  case "$variant" in
    jar) cmd=(java ${JAVA_OPTS:-} -XX:SharedArchiveFile="$JSA" -XX:CompileThresholdScaling=5 -jar "$JAR") ;;
    plain) cmd=(java ${JAVA_OPTS:-} -jar "$JAR") ;;
    image) mapfile -t ep < <(entrypoint); cmd=(unshare --mount --propagation private sh -c "$IN_IMAGE" sh "$WORK/rootfs" "${ep[@]}") ;;
    image-plain) mapfile -t ep < <(entrypoint | grep -v '^-XX:SharedArchiveFile=')
      cmd=(unshare --mount --propagation private sh -c "$IN_IMAGE" sh "$WORK/rootfs" "${ep[@]}") ;;
    *) echo "unknown variant $variant" >&2; exit 2 ;;
  esac
  start=$(date +%s%N)
  VIGIL_SAMPLE_ENABLED=false VIGIL_HTTP_HOST=127.0.0.1 VIGIL_HTTP_PORT=$p VIGIL_DATA_DIR=$data "${cmd[@]}" >"$log" 2>&1 &
  pid=$!
  while true; do
    code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$p/observe/health/ready" || true)
    if [[ "$code" == 200 ]]; then break; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "vigil ($variant) exited before ready: $(tail -5 "$log")" >&2; return 1; fi
    sleep 0.02
  done
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  cpu=$(awk -v t="$ticks" '{print int(($14 + $15) * 1000 / t)}' "/proc/$pid/stat")
  if grep -q "shared archive\|\[cds\]" "$log"; then echo "($variant) $(grep -m1 "shared archive\|\[cds\]" "$log")" >&2; fi
  kill -KILL "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$log" "$data"
  echo "$ms $cpu"
}

for v in "${VARIANTS[@]}"; do [[ "$v" == image* ]] && unpack_image; done
[[ " ${VARIANTS[*]} " == *" jar "* && ! -f "$JSA" ]] && { echo "$JSA is missing: ./mvnw -B -DskipTests package makes it" >&2; exit 1; }
declare -A walls cpus
for i in $(seq "$RUNS"); do
  for v in "${VARIANTS[@]}"; do
    read -r ms cpu < <(once "$v")
    walls[$v]+="$ms "; cpus[$v]+="$cpu "
    echo "run $i $v: ${ms} ms to ready, ${cpu} ms CPU"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {printf "median %d ms (min %d, max %d)", a[int((NR+1)/2)], a[1], a[NR]}'; }
for v in "${VARIANTS[@]}"; do
  echo "$v: wall $(echo "${walls[$v]}" | median), CPU $(echo "${cpus[$v]}" | median)"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

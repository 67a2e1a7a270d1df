#!/usr/bin/env bash
# Builds the file system of the daemonless image's runtime under OUT (Maven runs it in the package phase,
# before jib:buildTar adds OUT as an extra directory to an image FROM scratch):
#   OUT/opt/java             a jlink'd Java runtime with only the modules Vigil needs
#   OUT/lib, OUT/lib64       the C libraries that runtime links against (glibc, libstdc++, zlib, libjpeg...),
#                            copied from this machine, so the image needs no base image
#   OUT/data, OUT/tmp        the only places Vigil writes (mount a volume on /data and a tmpfs on /tmp)
# usage: docker/jre.sh JDK_HOME OUT
# The modules: `jdeps --print-module-deps --ignore-missing-deps --multi-release 17 target/vigil.jar` (45 s,
# so not run on every build) plus what is reached only through service loaders or reflection:
# jdk.crypto.ec (TLS to AWS), java.net.http, jdk.zipfs, jdk.naming.dns, java.logging. The default CDS archive
# (class data sharing) starts the JVM faster, as in a JDK.
set -euo pipefail
JDK=${1:?usage: jre.sh JDK_HOME OUT}
OUT=${2:?usage: jre.sh JDK_HOME OUT}
MODULES=java.base,java.compiler,java.desktop,java.instrument,java.logging,java.management,java.naming,\
java.net.http,java.rmi,java.scripting,java.security.jgss,java.security.sasl,java.sql,java.xml,jdk.crypto.ec,\
jdk.jfr,jdk.management,jdk.naming.dns,jdk.unsupported,jdk.zipfs

stamp="$OUT.built-from"
wanted="$(readlink -f "$JDK") $MODULES $(sha256sum "$0" | cut -c1-16)"
if [[ -f "$stamp" && "$(cat "$stamp")" == "$wanted" ]]; then
  echo "jre.sh: $OUT is up to date"
  exit 0
fi
if [[ ! -d "$JDK/jmods" ]]; then
  echo "jre.sh: $JDK has no jmods/ directory: build the image with a full JDK 17 (Debian: openjdk-17-jdk-headless and openjdk-17-jmods)" >&2
  exit 1
fi
rm -rf "$OUT"
mkdir -p "$OUT/opt"
# --compress=0: the image's layers are gzipped anyway, and gzip does better on the plain class files than on
# jlink's zip-compressed ones (lib/modules 17.2 MB gzipped instead of 23.9 MB); classes also load without inflating
"$JDK/bin/jlink" --add-modules "$MODULES" --output "$OUT/opt/java" \
  --strip-debug --no-header-files --no-man-pages --compress=0 --generate-cds-archive
# Vigil runs headless (ImageIO only): drop the native parts of java.desktop that would pull in X11,
# ALSA and FreeType; java.awt.headless=true never loads them.
rm -f "$OUT"/opt/java/lib/{libawt_xawt.so,libjawt.so,libsplashscreen.so,libjsound.so,libfontmanager.so}
# the CDS archive for heaps over 32 GB (no compressed oops): 11 MB that Vigil never uses
rm -f "$OUT"/opt/java/lib/server/classes_nocoops.jsa
# the JDK's shared objects keep their symbol tables (libjvm.so 23.5 MB, 20.0 MB stripped): not needed to run
if command -v strip >/dev/null; then
  find "$OUT/opt/java" -name '*.so' -exec strip --strip-unneeded {} +
fi

# The C libraries every remaining executable and shared object needs, at the paths this machine has
# them, so the dynamic loader finds them where it looks by default.
mapfile -t elves < <(find "$OUT/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' -o -name jspawnhelper -o -name jexec \))
libs=$(for f in "${elves[@]}"; do
  ldd "$f" 2>/dev/null | awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }'
done | grep -v "^$OUT" | sort -u)
for lib in $libs; do
  if [[ "$lib" == *"/opt/java/"* ]]; then continue; fi
  mkdir -p "$OUT$(dirname "$lib")"
  cp -L "$lib" "$OUT$lib"
done
mkdir -p "$OUT/data" "$OUT/tmp"
echo "$wanted" > "$stamp"
echo "jre.sh: $("$OUT/opt/java/bin/java" -version 2>&1 | head -1), $(du -sh "$OUT" | cut -f1) in $OUT"

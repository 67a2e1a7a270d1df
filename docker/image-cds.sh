#!/usr/bin/env bash
# The image's class data sharing (AppCDS) archive, made at build time with the image's own Java runtime
# (Maven runs it in the package phase, after docker/jre.sh and before jib:buildTar; docs/start-up.md).
# usage: docker/image-cds.sh JDK IMAGE_ROOT CLASSES LIBS CLASSPATH_FILE OUT
#   JDK             the build's JDK (its jar tool)
#   IMAGE_ROOT      docker/jre.sh's output: IMAGE_ROOT/opt/java is the image's runtime
#   CLASSES         Vigil's own classes and resources (target/classes), packed as OUT/vigil-app.jar (not
#                   target/original-vigil.jar: when the jar plugin finds its jar up to date, that is the shaded one)
#   LIBS            a directory with the dependencies' jars as the image has them under /app/jars (stored
#                   uncompressed by docker/StoreJars.java from dependency:copy-dependencies)
#   CLASSPATH_FILE  the dependencies as jars/NAME.jar:jars/NAME.jar... in Maven's order (dependency:build-classpath)
#   OUT             becomes /app in the image: OUT/vigil-app.jar, OUT/vigil.classpath (the entrypoint's -cp), OUT/vigil.jsa
# CDS accepts an archive only for the class path it was made with (same files: size and modification time) and
# no directory on it (jib's /app/classes cannot be used). So the warm-up start runs in a copy of /app's layout
# with the class path RELATIVE to it (vigil-app.jar:jars/...) and every jar's time set to jib's (1970-01-01
# 00:00:01): in the image, from the working directory /app, those names are the same files as the absolute
# ones the entrypoint gives. If they ever differ the JVM only logs a warning and starts without the archive;
# ContainerImageIT starts the image with -Xshare:on, which fails instead.
set -euo pipefail
JDK=${1:?usage: image-cds.sh JDK IMAGE_ROOT CLASSES LIBS CLASSPATH_FILE OUT}
ROOT=${2:?}
CLASSES=${3:?}
LIBS=${4:?}
CLASSPATH_FILE=${5:?}
OUT=${6:?}
JAVA="$ROOT/opt/java/bin/java"
here="$(cd "$(dirname "$0")/.." && pwd)"

rm -rf "$OUT" "$OUT.warm-up"
mkdir -p "$OUT" "$OUT.warm-up/jars"
"$JDK/bin/jar" --create --no-compress --file "$OUT/vigil-app.jar" -C "$CLASSES" .
deps=$(tr -d '\n' < "$CLASSPATH_FILE")
echo "/app/vigil-app.jar:${deps//jars\//\/app\/jars\/}" > "$OUT/vigil.classpath"

# the warm-up's /app: the same jars at the same relative names, jib's file times, routes/ and config/
cd "$OUT.warm-up"
cp "$OUT/vigil-app.jar" .
cp "$LIBS"/*.jar jars/
cp -r "$here/routes" "$here/config" .
find . -name '*.jar' -exec touch -d @1 {} +
# a clean environment, as the image's (a VIGIL_PROFILE or VIGIL_CONFIG of the shell must not reach the warm-up)
env -i LANG=C.UTF-8 "$JAVA" -XX:ArchiveClassesAtExit="$OUT/vigil.jsa" -Xlog:cds=error -Xlog:cds+dynamic=error \
  -XX:MaxRAMPercentage=75 -Djava.awt.headless=true -Dfile.encoding=UTF-8 \
  -cp "vigil-app.jar:$deps" dev.vigil.Vigil warm-up > warm-up.log 2>&1 \
  || { tail -30 warm-up.log >&2; exit 1; }
cd "$OUT"
rm -rf "$OUT.warm-up"
echo "image-cds.sh: $(du -h "$OUT/vigil.jsa" | cut -f1) archive $OUT/vigil.jsa"

#!/usr/bin/env bash
# Installs what the latentmotion notebooks need, idempotently, for root or a normal user:
#   1. Jupyter from Debian packages (jupyter-core, jupyter-client, jupyter-nbconvert,
#      python3-nbclient; jupyter-notebook too if LATENTMOTION_NOTEBOOK_SERVER=1), if missing;
#      a JDK 17+ and Maven, if missing;
#   2. builds the toolkit and its kernel (mvn package; dependencies are copied to target/lib);
#   3. installs the kernelspec "latentmotion" ("Java (latentmotion)").
# Environment: LM_BUILD (build folder name, default target), LM_MVN_FLAGS (extra Maven flags),
#              LATENTMOTION_XMX (kernel heap, default a third of the machine's memory),
#              LM_SKIP_BUILD=1 (use the build already in LM_BUILD), LM_KERNELSPEC_DIR (write the kernelspec into
#              this kernels/ folder of a JUPYTER_PATH entry instead of installing it; bench/run uses this so it
#              measures this checkout's kernel whatever kernelspec is installed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD="${LM_BUILD:-target}"
JUPYTER=/usr/bin/jupyter   # Debian's; `jupyter` on PATH may belong to another Python
say() { printf '[latentmotion setup] %s\n' "$*"; }

# --- 1. Debian packages --------------------------------------------------------------------
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else SUDO=none; fi
want=(jupyter-core jupyter-client jupyter-nbconvert python3-nbclient)
if [ "${LATENTMOTION_NOTEBOOK_SERVER:-0}" = 1 ]; then want+=(jupyter-notebook); fi
command -v java >/dev/null || want+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || want+=(maven)
missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$SUDO" = none ]; then
    say "missing Debian packages: ${missing[*]}; run as root: apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
  say "installing Debian packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  say "Debian packages present: ${want[*]}"
fi

JAVA="$(readlink -f "$(command -v java)")"
JAVA_MAJOR="$("$JAVA" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
if [ "${JAVA_MAJOR%%.*}" -lt 17 ]; then
  say "Java 17 or newer is needed, found $JAVA_MAJOR at $JAVA"; exit 1
fi

# --- 2. build ----------------------------------------------------------------------------------
if [ "${LM_SKIP_BUILD:-0}" != 1 ]; then
  say "building the toolkit and kernel into $ROOT/$BUILD (mvn package -Dmaven.test.skip=true)"
  (cd "$ROOT" && mvn -B -q ${LM_MVN_FLAGS:-} -Dlm.build="$BUILD" package -Dmaven.test.skip=true)
fi
test -f "$ROOT/$BUILD/classes/org/latentmotion/kernel/LatentMotionKernel.class" || { say "build produced no kernel class"; exit 1; }
say "built: $(ls "$ROOT/$BUILD/lib" | wc -l) dependency jars in $BUILD/lib"

# --- 3. kernelspec -----------------------------------------------------------------------------
mem_mb=$(awk '/MemTotal/ {print int($2/1024)}' /proc/meminfo)
# Sized for a laptop (a student's 16 GB machine runs a browser too); TestKernelSpec uses the same rule.
heap_mb=$(( mem_mb / 4 )); [ "$heap_mb" -gt 2048 ] && heap_mb=2048; [ "$heap_mb" -lt 1024 ] && heap_mb=1024
xmx="${LATENTMOTION_XMX:-${heap_mb}m}"                # Java heap: images, tables, JShell (more only makes GC lazier)
offheap="$(( mem_mb / 2 ))m"                          # ND4J's native arrays (JavaCPP's limit; MemoryBudget reads it)
physical="$(( mem_mb / 2 + heap_mb + 1024 ))m"         # the whole process: JavaCPP collects garbage before passing it
# Give freed native memory (ND4J's dropped arrays, the JIT's arenas) back to the system every 15 s,
# as the periodic collection does for the heap: glibc keeps freed blocks otherwise (each trim gave
# back 10-78 MB in KernelMemoryTest), and an idle kernel's resident set once grew 90 MB. JDK 17.0.9+ / 21.0.1+ only.
trim=""
"$JAVA" -XX:TrimNativeHeapInterval=15000 -version >/dev/null 2>&1 && trim="-XX:TrimNativeHeapInterval=15000"
spec="$(mktemp -d)"
trap 'rm -rf "$spec"' EXIT
mkdir -p "$spec/latentmotion"
/usr/bin/python3 - "$spec/latentmotion/kernel.json" "$JAVA" "$ROOT" "$BUILD" "$xmx" "$offheap" "$physical" "$trim" <<'PY'
import json, sys
path, java, root, build, xmx, offheap, physical, trim = sys.argv[1:]
SPARK_OPENS = ["java.base/java.lang", "java.base/java.lang.invoke", "java.base/java.lang.reflect", "java.base/java.io",
               "java.base/java.net", "java.base/java.nio", "java.base/java.util", "java.base/java.util.concurrent",
               "java.base/java.util.concurrent.atomic", "java.base/jdk.internal.ref", "java.base/sun.nio.ch",
               "java.base/sun.nio.cs", "java.base/sun.security.action", "java.base/sun.util.calendar",
               "java.security.jgss/sun.security.krb5"]
spec = {
    # G1 with a periodic collection: an idle kernel gives back heap, and the native arrays of
    # unreachable results (freed when the GC finds them) within seconds, not at the next busy cell.
    "argv": [java, "-Xmx" + xmx, "-Dorg.bytedeco.javacpp.maxbytes=" + offheap,
             "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + physical,
             "-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=15000", *([trim] if trim else []),
             "-Djava.awt.headless=true", "-Xss4m", "-Djava.security.manager=allow",
             # JDK internals Spark 4 reaches into, so a notebook can run Spark in this JVM after
             # %jars ../target/spark-lib (spark/README.md): the list Spark's launcher passes
             # (the spark profile's lm.spark.argLine in pom.xml). Opening a package costs nothing at start.
             *["--add-opens=" + p + "=ALL-UNNAMED" for p in SPARK_OPENS],
             "-Djdk.reflect.useDirectMethodHandle=false", "-Dio.netty.tryReflectionSetAccessible=true",
             "-Dlatentmotion.root=" + root,
             "-cp", root + "/" + build + "/classes:" + root + "/" + build + "/lib/*",
             "org.latentmotion.kernel.LatentMotionKernel", "{connection_file}"],
    "display_name": "Java (latentmotion)",
    "language": "java",
    "interrupt_mode": "message",
    # ND4J's OpenMP threads sleep instead of spinning between ops: the training step issues
    # thousands of small ops, and spinning threads starve everything else on a small machine.
    "env": {"OMP_WAIT_POLICY": "passive"},
    "metadata": {"debugger": False},
}
with open(path, "w") as f:
    json.dump(spec, f, indent=2)
PY
if [ -n "${LM_KERNELSPEC_DIR:-}" ]; then
  mkdir -p "$LM_KERNELSPEC_DIR/latentmotion"
  cp "$spec/latentmotion/kernel.json" "$LM_KERNELSPEC_DIR/latentmotion/kernel.json"
  say "kernelspec 'latentmotion' written to $LM_KERNELSPEC_DIR/latentmotion (not installed)"
else
  if [ "$(id -u)" -eq 0 ]; then scope=(); where="system-wide"; else scope=(--user); where="for user $(id -un)"; fi
  "$JUPYTER" kernelspec install --replace --name latentmotion "${scope[@]}" "$spec/latentmotion" >/dev/null 2>&1
  say "kernelspec 'latentmotion' (Java (latentmotion)) installed $where: $("$JUPYTER" kernelspec list 2>/dev/null | awk '$1=="latentmotion" {print $2}')"
fi
say "kernel: $JAVA -Xmx$xmx ... org.latentmotion.kernel.LatentMotionKernel"

#!/bin/sh
# Render benchmark: ORT Java vs torch eager on the exported StyleGAN2 test graph, encoders, memory (heap and native).
# Usage: bench/render/run.sh [intra-op threads (default: cores)] [seconds per measurement (default 3)]
set -e
cd "$(dirname "$0")/../.."
B=${LM_BUILD:-target-bench}
mvn -q -B -o -Dlm.build="$B" compile dependency:build-classpath -Dmdep.outputFile="$B/cp.txt" >/dev/null
mkdir -p "$B/bench"
javac -d "$B/bench" -cp "$B/classes:$(cat "$B/cp.txt")" bench/render/RenderBench.java
exec java -Xmx1g -cp "$B/bench:$B/classes:$(cat "$B/cp.txt")" RenderBench "$@"

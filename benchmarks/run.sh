#!/usr/bin/env bash
# The benchmark suite in one command: builds the sample app, the benchmarks jar and the corosync
# comparison program, then runs every figure side by side (about 14 minutes; --quick for a smoke run
# of about 3 minutes whose numbers are not figures). See docs/BENCHMARKS.md.
#
#   ./benchmarks/run.sh [--quick] [--rounds N] [--standby-rounds N] [--only micro,detection,start,idle,throughput,standby]
#
# JAVA=/path/to/bin/java runs the suite, and so every JVM it starts, on another JDK (e.g. Temurin 25
# beside the default 17); the build stays on the default JDK. Needs a JDK 17+, and for the corosync column and the throughput figure Debian's libsam-dev,
# gcc and wrk: as root they are installed with apt-get when missing (SAM_BENCH_NO_INSTALL=1 to skip
# them instead). Extra Maven options: MVN_ARGS (e.g. MVN_ARGS=-o to build offline).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v gcc >/dev/null 2>&1 || missing+=(gcc)
[ -f /usr/include/corosync/sam.h ] || missing+=(libsam-dev libsam4)
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "${SAM_BENCH_NO_INSTALL:-0}" != 1 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (Debian packages) for the corosync column and wrk"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing ${missing[*]}: the figures that need them are skipped"
  fi
fi

echo "building the sample app and the benchmarks jar"
./mvnw -B -q ${MVN_ARGS:-} package -DskipTests -pl sample-app,benchmarks -am

sambench=()
if command -v gcc >/dev/null 2>&1 && [ -f /usr/include/corosync/sam.h ]; then
  gcc -O2 -Wall -Wextra -o benchmarks/target/sambench benchmarks/src/main/c/sambench.c -lsam
  sambench=(--sambench benchmarks/target/sambench)
fi

exec "${JAVA:-java}" -cp benchmarks/target/benchmarks.jar io.samboot.bench.Suite \
  --sample-jar sample-app/target/sample-app-0.1.0-SNAPSHOT.jar "${sambench[@]}" --out benchmarks/target/results "$@"

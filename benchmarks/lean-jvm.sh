#!/usr/bin/env bash
# The lean supervisor JVM with and without its class-data archive, side by side: the sample app's
# jar is started ROUNDS times per variant, interleaved (ABAB...), and each run reports
#   takeover  ms from instance 1's launch until the lean JVM took it over (its own log line),
#   cpu       CPU seconds of the supervisor's PID 10 s after the start (the JVM the user started,
#             then the lean JVM it became),
#   rss/pss/uss of the lean JVM at that moment, in kB (/proc/PID/smaps_rollup).
# Then the median of each figure per variant, and for the takeover and the CPU the ratio of the
# medians (archive / none) with a 95 % bootstrap interval (2000 resamples); "met" when the whole
# interval is below 1, "missed" when it is above, "undecided" otherwise.
#
#   benchmarks/lean-jvm.sh ROUNDS [JAVA]
#
# Needs the sample jar (./mvnw -B package -DskipTests -pl sample-app -am). Uses a cache directory of
# its own (XDG_CACHE_HOME under target/), primed by two runs (the archive made, then put in place); signals
# only the processes it started.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
java=${2:-java}
jar=$(ls sample-app/target/sample-app-*.jar | grep -v plain | head -1)
work=benchmarks/target/lean-jvm
rm -rf "$work"; mkdir -p "$work/cache"
export XDG_CACHE_HOME=$PWD/$work/cache
tck=$(getconf CLK_TCK)

run() { # variant round -> "takeover cpu rss pss uss"
  local variant=$1 round=$2 flag=()
  [[ $variant == none ]] && flag=(-Dsam.supervisor.archive=false)
  local log=$work/$variant-$round.log
  "$java" "${flag[@]}" -jar "$jar" --server.port=0 --sam.time-interval=1s >"$log" 2>&1 &
  local pid=$! start=$SECONDS
  for ((i = 0; i < 600; i++)); do
    grep -q "before this supervisor JVM took it over" "$log" && break
    sleep 0.05
  done
  sleep $((10 - (SECONDS - start) > 0 ? 10 - (SECONDS - start) : 0))
  local takeover cpu mem
  takeover=$(grep -o "[0-9]*ms before this supervisor JVM took it over" "$log" | grep -o "^[0-9]*" || echo NA)
  cpu=$(awk -v t="$tck" '{printf "%.3f", ($14 + $15) / t}' "/proc/$pid/stat")
  mem=$(awk '/^Rss:/{r=$2} /^Pss:/{p=$2} /^Private_Clean:/{u+=$2} /^Private_Dirty:/{u+=$2} END{print r, p, u}' \
    "/proc/$pid/smaps_rollup")
  kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
  echo "$takeover $cpu $mem"
}

echo "priming the archive: one supervisor makes it at its exit, the next puts it in place"
run archive 0 >/dev/null
run archive 0 >/dev/null
ls "$XDG_CACHE_HOME"/sam-boot/lean-*/supervisor.* || { echo "no archive was made"; exit 1; }
: >"$work/results"
for ((round = 1; round <= rounds; round++)); do
  for variant in $( ((round % 2)) && echo "none archive" || echo "archive none"); do
    line=$(run "$variant" "$round")
    echo "round $round $variant: takeover/ms cpu/s rss pss uss/kB = $line"
    echo "$variant $line" >>"$work/results"
  done
done
echo
awk -v B=2000 '
  function median(a, n,   s, i, j, t) { for (i = 1; i <= n; i++) s[i] = a[i]
    for (i = 2; i <= n; i++) { t = s[i]; for (j = i - 1; j >= 1 && s[j] > t; j--) s[j + 1] = s[j]; s[j + 1] = t }
    return (n % 2) ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2 }
  $2 != "NA" { v = $1; n[v]++; for (f = 2; f <= 6; f++) x[v, f, n[v]] = $f }
  END {
    split("takeover_ms cpu_s rss_kB pss_kB uss_kB", name, " ")
    printf "%-12s %12s %12s\n", "figure", "none", "archive"
    for (f = 2; f <= 6; f++) {
      for (v in n) { delete a; for (i = 1; i <= n[v]; i++) a[i] = x[v, f, i]; m[v, f] = median(a, n[v]) }
      printf "%-12s %12s %12s\n", name[f - 1], m["none", f], m["archive", f]
    }
    srand(20261203)
    for (f = 2; f <= 3; f++) {
      for (b = 1; b <= B; b++) {
        for (v in n) { delete a; for (i = 1; i <= n[v]; i++) a[i] = x[v, f, int(rand() * n[v]) + 1]; bm[v] = median(a, n[v]) }
        r[b] = (bm["none"] > 0) ? bm["archive"] / bm["none"] : 0
      }
      for (i = 2; i <= B; i++) { t = r[i]; for (j = i - 1; j >= 1 && r[j] > t; j--) r[j + 1] = r[j]; r[j + 1] = t }
      lo = r[int(B * 0.025) + 1]; hi = r[int(B * 0.975)]
      printf "ratio %-12s %.3f (95%% %.3f-%.3f): %s\n", name[f - 1], m["archive", f] / m["none", f], lo, hi,
        (hi < 1) ? "met (lower)" : (lo > 1) ? "missed (higher)" : "undecided"
    }
  }' "$work/results"

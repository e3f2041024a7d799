#!/usr/bin/env bash
# How long after `java -jar` the first instance is launched, by where SAM decides to supervise:
# the early launcher (before Spring Boot), Spring Boot's ApplicationStartingEvent, or its
# ApplicationEnvironmentPreparedEvent. Measured from the kernel's start times of the two
# processes (/proc/<pid>/stat, field 22, in clock ticks), so no polling error enters.
#
#   benchmarks/decision-point.sh ROUNDS NAME='JAR [JVM OPTIONS] [-- ARGS]' ...
#
# Variants run interleaved (one of each per round); prints each run, then the median,
# minimum and maximum per variant in milliseconds.
set -euo pipefail
rounds=$1; shift
tick_ms=$((1000 / $(getconf CLK_TCK)))
declare -A results
names=()
for spec in "$@"; do names+=("${spec%%=*}"); done

start_ticks() { awk '{print $22}' "/proc/$1/stat"; }

for ((round = 1; round <= rounds; round++)); do
  for spec in "$@"; do
    name=${spec%%=*}; rest=${spec#*=}
    read -r -a words <<<"$rest"
    jar=${words[0]}; jvm=(); app=(); into=jvm
    for word in "${words[@]:1}"; do
      if [[ $word == -- ]]; then into=app; continue; fi
      if [[ $into == jvm ]]; then jvm+=("$word"); else app+=("$word"); fi
    done
    java -XX:TieredStopAtLevel=1 "${jvm[@]}" -jar "$jar" --server.port=0 "${app[@]}" >/dev/null 2>&1 &
    supervisor=$!
    # The instance runs the same command line: the first child whose command line names the
    # jar (a short-lived helper child of the supervisor JVM is not counted).
    child=""; child_ticks=""
    for ((i = 0; i < 3000; i++)); do
      for candidate in $(cat /proc/$supervisor/task/*/children 2>/dev/null); do
        if tr '\0' ' ' <"/proc/$candidate/cmdline" 2>/dev/null | grep -qF -- "-jar $jar"; then
          child_ticks=$(start_ticks "$candidate" 2>/dev/null || true)
          [[ -n $child_ticks ]] && child=$candidate && break
        fi
      done
      [[ -n $child ]] && break
      sleep 0.01
    done
    if [[ -n $child ]]; then
      delay=$(( (child_ticks - $(start_ticks "$supervisor")) * tick_ms ))
      results[$name]+="$delay "
      echo "round $round $name: instance 1 launched ${delay} ms after the supervisor started"
    else
      echo "round $round $name: no instance within 30 s"
    fi
    # Let the instance come up before stopping, so runs do not overlap start-ups.
    sleep 4
    kill -TERM "$supervisor" 2>/dev/null || true
    wait "$supervisor" 2>/dev/null || true
  done
done
echo
printf '%-16s %8s %8s %8s %4s\n' variant median min max n
for name in "${names[@]}"; do
  sorted=($(tr ' ' '\n' <<<"${results[$name]:-}" | grep . | sort -n))
  n=${#sorted[@]}
  [[ $n -eq 0 ]] && { printf '%-16s %8s\n' "$name" "-"; continue; }
  if ((n % 2)); then median=${sorted[$((n / 2))]}; else median=$(( (sorted[n/2-1] + sorted[n/2]) / 2 )); fi
  printf '%-16s %8s %8s %8s %4s\n' "$name" "$median" "${sorted[0]}" "${sorted[$((n-1))]}" "$n"
done

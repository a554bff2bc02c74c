#!/usr/bin/env bash
# Runs the JMH suite: relstore, CQEngine, H2 and the baseline in one run, then writes
#   benchmarks/results/<name>.json  the JMH results (with -prof gc)
#   benchmarks/results/<name>.md    ratios to the baseline and the peers, targets met or not
#   benchmarks/results/<name>.log   JMH's console output
#
# usage: benchmarks/run.sh [--quick] [--name NAME] [--heap SIZE] [JMH arguments...]
#   --quick       short iterations (1 × 1 s warm-up, 2 × 1 s measurement): checks that the suite
#                 runs end to end; its numbers are rough
#   --name NAME   results file name (default: UTC date and time, "-quick" appended for --quick)
#   --heap SIZE   the forks' fixed heap (default 3g; the 10M scaling run needs 14g)
#   JMH arguments are passed on, after the suite's own: a benchmark regex ('PkGet|ReverseRelation'),
#   -p size=10000, -p impl=RELSTORE,BASELINE, -jvmArgsAppend "...", ...
# Run it on a quiet machine: each benchmark and parameter set is one fork with a fixed,
# pre-touched heap, 3 GB unless --heap says otherwise (a fresh heap page costs a page fault on
# first touch).
set -euo pipefail
cd "$(dirname "$0")/.."

quick=false
name=""
heap=3g
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=true; shift ;;
    --name) name="$2"; shift 2 ;;
    --heap) heap="$2"; shift 2 ;;
    *) break ;;
  esac
done
if [ -z "$name" ]; then
  name="$(date -u +%Y%m%d-%H%M%S)"
  if $quick; then name="$name-quick"; fi
fi

mvn -B -q package -pl benchmarks -am -DskipTests -Dbench.smoke.skip=true

out=benchmarks/results
mkdir -p "$out"
args=(-f 1 -foe true -prof gc -rf json -rff "$out/$name.json"
      -jvmArgsAppend "-Xms$heap -Xmx$heap -XX:+AlwaysPreTouch")
if $quick; then
  args+=(-wi 1 -w 1s -i 2 -r 1s)
fi
java -jar benchmarks/target/benchmarks.jar "${args[@]}" "$@" 2>&1 | tee "$out/$name.log"

commit="$(git rev-parse --short HEAD)"
git diff --quiet HEAD -- store benchmarks/src || commit="$commit (with uncommitted changes)"
cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')"
cpu="$cpu, $(nproc) cores, $(free -g 2>/dev/null | awk '/^Mem:/ {print $2 " GB"}')"
java -cp benchmarks/target/benchmarks.jar io.relstore.bench.report.Report \
  "$out/$name.json" "$out/$name.md" \
  --commit "$commit" --cpu "$cpu" \
  --command "benchmarks/run.sh$($quick && echo ' --quick') --name $name --heap $heap $*"
echo "wrote $out/$name.json and $out/$name.md"

#!/usr/bin/env bash
# The machine's limits, beside which the benchmarks put their figures: process start-up (true, Python,
# execnet, a JVM), pipes and loopback TCP between two C processes, and a JVM talking to a child JVM over
# its pipes, with Java 17 and, when it is there, Java 25. Every step is bounded by `timeout`.
#
# Usage: bench/limits/limits.sh    (about 3 minutes; QUICK=1 for a few seconds of smaller, fewer runs)
# Environment: BUILD (where the probes are compiled, default a temporary directory removed at the end),
# RUNS (repetitions of the C probes, default 5), J17 (default java), J25 (default Temurin 25's java),
# PY (the Python that has execnet, default /usr/bin/python3). Needs gcc and taskset.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
python_dir="$here/../python"
PY=${PY:-/usr/bin/python3}
J17=${J17:-java}
J25=${J25:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
RUNS=${RUNS:-5}
export PYTHONDONTWRITEBYTECODE=1
if [ -n "${BUILD:-}" ]; then
  build="$BUILD"
  mkdir -p "$build"
else
  build="$(mktemp -d)"
  trap 'rm -rf "$build"' EXIT
fi
if [ -n "${QUICK:-}" ]; then
  RUNS=1 starts=2 mib=100 messages=100000 trips=2000 jvm_starts=2 jvm_mib=100 jvm_reps=2
else
  starts=20 mib=2000 messages=1000000 trips=20000 jvm_starts=10 jvm_mib=2000 jvm_reps=$RUNS
fi
gcc -O2 -Wall -o "$build/pipes" "$here/pipes.c" || exit 1
mkdir -p "$build/classes"
javac --release 17 -d "$build/classes" "$here/Hello.java" "$here/JvmPipes.java" || exit 1
t="timeout 120"
repeat() { for _ in $(seq "$RUNS"); do "$@"; done; }

echo "## whole processes, start to reaped"
$t $PY "$python_dir/process_time.py" proc.bin_true $starts -- /bin/true
$t $PY "$python_dir/process_time.py" proc.python3_c_pass $starts -- $PY -c pass
$t $PY "$python_dir/process_time.py" proc.python3_S_c_pass $starts -- $PY -S -c pass
$t $PY "$python_dir/process_time.py" proc.python3_import_execnet $starts -- $PY -c "import execnet"
$t $PY "$python_dir/process_time.py" proc.execnet_hello $starts -- $PY "$python_dir/hello_execnet.py"
javas=("17:$J17")
if [ -x "$J25" ]; then javas+=("25:$J25"); else echo "# no Java 25 at $J25: its rows are left out"; fi
for entry in "${javas[@]}"; do
  v=${entry%%:*} java=${entry#*:}
  $t $PY "$python_dir/process_time.py" proc.java${v}_hello_Xshare_auto $starts -- $java -Xshare:auto -cp "$build/classes" Hello
  $t $PY "$python_dir/process_time.py" proc.java${v}_hello_Xshare_off $(( (starts + 1) / 2 )) -- $java -Xshare:off -cp "$build/classes" Hello
done

echo "## two C processes over a pipe or loopback TCP ($RUNS runs each)"
# dd reports the rate of its 1 MiB writes into the pipe, which cat drains
repeat sh -c "{ $t dd if=/dev/zero bs=1M count=$mib | cat >/dev/null; } 2>&1" \
  | awk '/copied/ { rate = $(NF-1); if ($NF == "GB/s") rate *= 1000; print "pipe.dd_bs1M_to_cat: " rate " MB/s" }' \
  | $PY "$python_dir/aggregate.py"
repeat sh -c "$t $build/pipes tput 65536 $mib; $t $build/pipes tput 1048576 $mib" | $PY "$python_dir/aggregate.py"
repeat sh -c "$t $build/pipes tputbig 65536 $mib; $t $build/pipes tputbig 1048576 $mib" | $PY "$python_dir/aggregate.py"
repeat $t "$build/pipes" msgs $messages 16 | $PY "$python_dir/aggregate.py"
repeat $t "$build/pipes" pingpong $trips | $PY "$python_dir/aggregate.py" unpinned.
repeat $t taskset -c 0 "$build/pipes" pingpong $trips | $PY "$python_dir/aggregate.py" pinned_1cpu.
repeat $t "$build/pipes" tcptput 1048576 $mib | $PY "$python_dir/aggregate.py"
repeat $t "$build/pipes" tcppingpong $trips | $PY "$python_dir/aggregate.py" unpinned.
repeat $t taskset -c 0 "$build/pipes" tcppingpong $trips | $PY "$python_dir/aggregate.py" pinned_1cpu.

echo "## a JVM and its child JVM over the child's pipes"
for entry in "${javas[@]}"; do
  java=${entry#*:}
  $t $java -cp "$build/classes" JvmPipes spawn $jvm_starts
  $t $java "-Dchild.opts=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" -cp "$build/classes" JvmPipes spawn $jvm_starts
  $t $java -cp "$build/classes" JvmPipes tput $jvm_mib $jvm_reps
  $t $java -cp "$build/classes" JvmPipes pingpong $trips $jvm_reps
  $t taskset -c 0 $java -cp "$build/classes" JvmPipes pingpong $trips $jvm_reps | sed 's/^/pinned_1cpu./'
done

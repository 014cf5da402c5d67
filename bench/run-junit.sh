#!/usr/bin/env bash
# Distributed JUnit on a real third-party suite: Apache Commons Lang 3.17.0's published tests, resolved from
# Maven Central by bench/junit-suite/pom.xml, run in one session, round after round, by
#   - the Console Launcher in one JVM (junit-platform-console 1.11.0, the suite's own platform),
#   - Surefire 3.5.2 with forkCount=2 reuseForks=true (bench/junit-suite, dependenciesToScan),
#   - jexecnet test with 2 popen workers, first with no history, then with the history of that first run;
# then, once, 2 ssh workers on a private sshd (counts, and a second run that ships nothing), and a run in
# which one worker is killed with SIGKILL mid-suite. Every runner gets the suite's JVM flags, and the same
# class path, in which bench/junit-suite's ExcludedTests leaves out StringEscapeUtilsTest#testLang708 (it
# reads a file of the Commons Lang source tree) for all of them alike.
# Prints each run's wall time and counts, then medians and ratios. Everything goes under a fresh /tmp dir.
# Usage: bench/run-junit.sh [ROUNDS]     (default 3; a round takes about 6 minutes on 2 idle cores)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
rounds="${1:-3}"
work="$(mktemp -d /tmp/jexecnet-junit-bench.XXXXXX)"
sshd_pid=""
cleanup() {
  if [ -n "$sshd_pid" ]; then kill "$sshd_pid" 2>/dev/null || true; fi
}
trap cleanup EXIT
echo "work directory: $work"

flags="-Xmx512m --add-opens java.base/java.lang.reflect=ALL-UNNAMED --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/java.util=ALL-UNNAMED"
suite="$root/bench/junit-suite"

echo "building jexecnet and resolving the suite ..."
(cd "$root" && mvn -B -DskipTests -pl cli -am package)
(cd "$suite" && mvn -B -DskipTests package dependency:build-classpath -Dmdep.outputFile="$work/suite.cp" -Dmdep.includeScope=test)
for artifact in junit-platform-console junit-platform-reporting; do
  (cd "$suite" && mvn -B dependency:copy -Dartifact="org.junit.platform:$artifact:1.11.0" -DoutputDirectory="$work/console")
done
jar="$root/cli/target/jexecnet-cli.jar"
cp="$suite/target/classes:$(cat "$work/suite.cp")"
tests="$(tr ':' '\n' < "$work/suite.cp" | grep 'commons-lang3-3.17.0-tests.jar')"

# run NAME COMMAND...: runs it, its output in $work/NAME.out, and appends "NAME seconds exit-code" to $work/times.
run() {
  local name="$1"; shift
  local start end code=0
  start=$(date +%s.%N)
  "$@" >"$work/$name.out" 2>"$work/$name.err" || code=$?
  end=$(date +%s.%N)
  printf '%s %.1f %s\n' "$name" "$(echo "$end - $start" | bc)" "$code" | tee -a "$work/times"
}

# counts NAME: tests run, failed, skipped+aborted, from the Console Launcher's summary or Surefire's last line.
counts() {
  local out="$work/$1.out"
  if grep -q '^\[INFO\] Tests run:\|^\[ERROR\] Tests run:\|^\[WARNING\] Tests run:' "$out"; then
    grep -E '^\[(INFO|ERROR|WARNING)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$out" | tail -1 \
      | sed -E 's/.*Tests run: ([0-9]+), Failures: ([0-9]+), Errors: ([0-9]+), Skipped: ([0-9]+)/\1 \2 \3 \4/' \
      | awk '{printf "run %d, failed %d, skipped or aborted %d\n", $1 - $4, $2 + $3, $4}'
  else
    local started failed skipped aborted
    started=$(grep -E '^\[ +[0-9]+ tests started' "$out" | grep -oE '[0-9]+' | head -1)
    failed=$(grep -E '^\[ +[0-9]+ tests failed' "$out" | grep -oE '[0-9]+' | head -1)
    skipped=$(grep -E '^\[ +[0-9]+ tests skipped' "$out" | grep -oE '[0-9]+' | head -1)
    aborted=$(grep -E '^\[ +[0-9]+ tests aborted' "$out" | grep -oE '[0-9]+' | head -1)
    echo "run $((started - aborted)), failed $failed, skipped or aborted $((skipped + aborted))"
  fi
}

console() {
  java $flags -cp "$work/console/junit-platform-console-1.11.0.jar:$work/console/junit-platform-reporting-1.11.0.jar:$cp" \
    org.junit.platform.console.ConsoleLauncher execute --disable-banner --scan-class-path "$tests" --details summary \
    --reports-dir "$work/$1-reports"
}

surefire() {
  (cd "$suite" && mvn -B -o test -DforkCount=2 -DreuseForks=true -Dmaven.test.failure.ignore=true \
    -Dsurefire.reportsDirectory="$work/$1-reports")
}

jexecnet() {
  local name="$1" history="$2"; shift 2
  java -jar "$jar" test --tx "2*popen//jvmargs=$flags" -cp "$cp" --scan-class-path "$tests" --details summary \
    --history-dir "$history" --reports-dir "$work/$name-reports" "$@"
}

echo "load before: $(uptime)"
for round in $(seq 1 "$rounds"); do
  run "console-$round" console "console-$round"
  run "surefire-$round" surefire "surefire-$round"
  run "jexecnet-first-$round" jexecnet "jexecnet-first-$round" "$work/history-$round" --progress none
  run "jexecnet-history-$round" jexecnet "jexecnet-history-$round" "$work/history-$round" --progress none
  echo "load after round $round: $(uptime)"
done
run maven-startup bash -c "cd '$suite' && mvn -B -o -q validate"

echo
echo "== ssh: 2 workers on a private sshd, twice =="
mkdir -p "$work/sshd"
for key in host client; do ssh-keygen -q -t ed25519 -N '' -f "$work/sshd/$key"; done
cp "$work/sshd/client.pub" "$work/sshd/authorized_keys"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
sshd_args=(-D -e -f /dev/null -p "$port" -h "$work/sshd/host" -o ListenAddress=127.0.0.1 -o PidFile=none -o StrictModes=no
  -o "AuthorizedKeysFile=$work/sshd/authorized_keys" -o MaxStartups=200)
if [ "$(id -u)" -eq 0 ]; then
  # sshd as root needs /run/sshd: a private /run in a mount namespace of its own leaves the host's alone
  unshare -m --propagation private sh -c 'mount -t tmpfs -o mode=755 tmpfs /run && mkdir -m 755 /run/sshd && exec /usr/sbin/sshd "$@"' \
    sshd "${sshd_args[@]}" 2>"$work/sshd/log" &
else
  /usr/sbin/sshd "${sshd_args[@]}" 2>"$work/sshd/log" &
fi
sshd_pid=$!
for _ in $(seq 1 100); do grep -q "Server listening" "$work/sshd/log" 2>/dev/null && break; sleep 0.1; done
ssh_spec="ssh=-F /dev/null -p $port -i $work/sshd/client -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=no"
ssh_spec="$ssh_spec -o UserKnownHostsFile=/dev/null -o LogLevel=ERROR $(id -un)@127.0.0.1//env:JEXECNET_CACHE=$work/host-cache//jvmargs=$flags"
for attempt in 1 2; do
  run "ssh-$attempt" java -jar "$jar" test --tx "2*$ssh_spec" -cp "$cp" --scan-class-path "$tests" --details summary \
    --history-dir "$work/history-ssh" --progress lines
  echo "  $(grep -h 'class path:' "$work/ssh-$attempt.out" | tr '\n' ' ')"
done

echo
echo "== kill -9 of one worker mid-suite =="
killed_start=$(date +%s.%N)
java -jar "$jar" test --tx "2*popen//jvmargs=$flags" -cp "$cp" --scan-class-path "$tests" --details summary \
  --history-dir "$work/history-1" --progress lines >"$work/killed.out" 2>"$work/killed.err" &
runner=$!
for _ in $(seq 1 600); do
  [ "$(grep -c '] PASSED ' "$work/killed.out" 2>/dev/null || true)" -ge 3000 ] && break
  sleep 0.5
done
# a worker JVM that is a child of this run's master (other users of the machine may run workers of their
# own); its command line names no gateway (a worker learns its id from its input), the crash report does
victim=$(pgrep -P "$runner" -f "org.jexecnet.internal.worker.WorkerMain" | tail -1 || true)
echo "  after $(grep -c '] PASSED ' "$work/killed.out") tests passed: kill -9 of a worker, pid ${victim:-none found}"
[ -n "$victim" ] && kill -9 "$victim"
wait "$runner" || true
printf 'killed %.1f %s\n' "$(echo "$(date +%s.%N) - $killed_start" | bc)" "-" >>"$work/times"
echo "  $(grep -h 'CRASHED' "$work/killed.out" | head -3)"

echo
echo "== counts (tests run, failed, skipped or aborted) =="
for name in $(awk '{print $1}' "$work/times" | grep -v maven-startup); do
  printf '  %-22s %s\n' "$name" "$(counts "$name")"
done

echo
echo "== wall time, median of $rounds =="
median() { grep "^$1-[0-9]* " "$work/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for runner in console surefire jexecnet-first jexecnet-history; do
  printf '  %-18s %6.1f s\n' "$runner" "$(median "$runner")"
done
surefire_median=$(median surefire)
printf '  jexecnet -n 2, first run / Surefire forkCount=2:    %.2fx\n' "$(echo "$(median jexecnet-first) / $surefire_median" | bc -l)"
printf '  jexecnet -n 2, with history / Surefire forkCount=2: %.2fx\n' "$(echo "$(median jexecnet-history) / $surefire_median" | bc -l)"
echo "  (Maven's own start-up, mvn -o -q validate: $(grep '^maven-startup ' "$work/times" | awk '{print $2}') s, inside Surefire's time)"
echo "load at the end: $(uptime)"

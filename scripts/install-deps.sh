# Sourced by the scripts beside it: installs, from Debian's packages, what is missing.
missing=()
command -v javac >/dev/null 2>&1 || missing+=(openjdk-17-jdk-headless)
[ -x /usr/sbin/sshd ] && command -v ssh >/dev/null 2>&1 || missing+=(openssh-server openssh-client)
command -v mvn >/dev/null 2>&1 || missing+=(maven)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)       # network namespaces for the partition test
/usr/bin/python3 -c 'import execnet' >/dev/null 2>&1 || missing+=(python3-execnet)
# What a caller needs beyond these, as COMMAND=PACKAGE words (the benchmarks: rsync, gcc).
for need in ${ALSO_NEEDS:-}; do
  command -v "${need%%=*}" >/dev/null 2>&1 || missing+=("${need#*=}")
done
if ((${#missing[@]})); then
  echo "installing ${missing[*]}" >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >&2
fi

#!/usr/bin/env bash
# record.sh: runs each line of cases.txt on the real tools, in a fresh
# namespace sandbox (as root), and writes expected.txt: the command line,
# its exit status, then its stderr and stdout lines prefixed with "! " and
# "| ", then a blank line.
#   unshare --net --mount --pid --fork --mount-proc --propagation private \
#     bash -c 'mkdir -p /run/netns && mount -t tmpfs nsbox /run/netns &&
#              ip link set lo up && ip link add br0 type bridge &&
#              exec bash record.sh'
set -u
cd "$(dirname "$0")"
while IFS= read -r line; do
  case "$line" in '#'* | '') continue ;; esac
  read -r -a argv <<<"$line"
  err=$(timeout 5 "${argv[@]}" 2>&1 >/tmp/flag-end.out </dev/null)
  st=$?
  printf '%s\n%s\n' "$line" "$st"
  [ -n "$err" ] && printf '%s\n' "$err" | sed 's/^/! /'
  [ -s /tmp/flag-end.out ] && sed 's/^/| /' /tmp/flag-end.out
  echo
done <cases.txt >expected.txt

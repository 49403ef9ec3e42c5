#!/bin/sh
# Records SCENARIO.out from SCENARIO.sh with scripts/transcript.sh in a
# throwaway network namespace with its own /run/netns and /sys (run as root
# from this directory; nothing outside the sandbox is touched).
set -e
name=${1%.sh}
exec unshare --net --mount --pid --fork --mount-proc --propagation private \
  sh -c "mkdir -p /run/netns && mount -t tmpfs nsbox /run/netns &&
         mount -t sysfs sysfs /sys && ip link set lo up &&
         exec bash ../../../../scripts/transcript.sh $name.sh > $name.out 2>&1"

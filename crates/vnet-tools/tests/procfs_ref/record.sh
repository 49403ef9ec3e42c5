#!/bin/sh
# record.sh [NAME]: records NAME.json (default: real.json from scenario.sh)
# from the real kernel in a throwaway namespace with its own sysfs (run as
# root from this directory; nothing outside the sandbox is touched).
set -e
scen=${1:-scenario}
out=${1:-real}
exec unshare --net --mount --pid --fork --mount-proc --propagation private \
  sh -c "mount -t sysfs sysfs /sys && ip link set lo up &&
         sh -e $scen.sh && python3 dump.py > $out.json"

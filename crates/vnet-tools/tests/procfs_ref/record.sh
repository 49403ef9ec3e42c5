#!/bin/sh
# Records real.json from the real kernel in a throwaway namespace (run as
# root from this directory; nothing outside the sandbox is touched).
exec unshare --net --mount --pid --fork --mount-proc --propagation private \
  sh -c 'mount -t sysfs sysfs /sys && ip link set lo up &&
         sh -e scenario.sh && python3 dump.py > real.json'

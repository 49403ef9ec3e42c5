printf '%s\n' 'eth0: UP' 'eth1: DOWN' 'lo: UP' | grep -E '^[a-z]+[0-9]*: UP$' | grep -v lo

# awk: /proc/net/dev style counters, skipping headers
cat <<'EOF' | awk -F'[: ]+' 'NR > 2 {printf "%s rx=%s tx=%s\n", $2, $3, $11}'
Inter-|   Receive                                                |  Transmit
 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
    lo:    1280      16    0    0    0     0          0         0     1280      16    0    0    0     0       0          0
  eth0:   98765     321    0    0    0     0          0         0    12345     123    0    0    0     0       0          0
EOF

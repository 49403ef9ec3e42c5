# A writer whose reader stops early dies of SIGPIPE once it has more
# than a pipe holds (64 KiB) left to write; a short one finishes first.
seq 1000000 | head -3; echo "${PIPESTATUS[@]}"
seq 10 | head -3; echo "${PIPESTATUS[@]}"
seq 1000000 | { read -r a; echo "read $a"; }; echo "${PIPESTATUS[@]}"
seq 1000000 | grep -m1 5; echo "${PIPESTATUS[@]}"
seq 1000000 | sed 2q; echo "${PIPESTATUS[@]}"
seq 1000000 | awk 'NR == 2 { print; exit }'; echo "${PIPESTATUS[@]}"
awk 'BEGIN { for (i = 0; i < 1000000; i++) print i }' | head -2; echo "${PIPESTATUS[@]}"
seq 1000000 | head -1 | cat; echo "${PIPESTATUS[@]}"
# Readers that never read.
seq 1000000 | true; echo "${PIPESTATUS[@]}"
seq 100000 | echo hi; echo "${PIPESTATUS[@]}"
set -o pipefail
seq 1000000 | head -1; echo "pipefail: $?"
seq 1000000 | tail -1; echo "all read: $?"

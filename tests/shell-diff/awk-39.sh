# awk: -v assignments and command-line var=value
echo 'line' | awk -v 'x=a\tb' -v n=5 '{print x, n + 1, v, $0}' v=7 -

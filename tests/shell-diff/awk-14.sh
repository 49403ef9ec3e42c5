# awk: single-character RS
echo 'a;b;c' | awk 'BEGIN {RS=";"} {print NR, $0}'

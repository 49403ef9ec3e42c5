# awk: $1=$1 with a new OFS
echo '  a   b   c  ' | awk 'BEGIN {OFS=","} {$1=$1; print}'

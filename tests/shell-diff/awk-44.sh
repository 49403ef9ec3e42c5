# awk: syntax error at a token
awk 'BEGIN {x = 1 +}'
echo rc=$?

# awk: syntax error: missing brace
awk '{print $1'
echo rc=$?

# awk: negative field index
echo a | awk '{print $(-1)}'
echo rc=$?

# awk: missing input file
echo a | awk '{print}' nofile
echo rc=$?

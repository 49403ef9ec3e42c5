# awk: capitalize the first letter
echo 'hello world' | awk '{print toupper(substr($0, 1, 1)) substr($0, 2)}'

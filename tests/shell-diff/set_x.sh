set -x
echo hello "a b"
x=5
y=$((x+1))
set +x
echo quiet

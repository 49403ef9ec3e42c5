seq() { i=$1; while [ $i -le $2 ]; do echo $i; i=$((i+1)); done; }
seq 1 12 | grep -A1 -e 3 -e 9

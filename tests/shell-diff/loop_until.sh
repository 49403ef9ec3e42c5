n=0
until [ $n -ge 3 ]; do echo $n; n=$((n+1)); done

for n in 1 2 3; do eval "v$n=$((n*n))"; done
echo $v1 $v2 $v3
name=v2; echo ${!name}

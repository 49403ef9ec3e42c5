for i in "a b" c; do echo "[$i]"; done
for i in $(echo 1 2 3); do echo -n "$i,"; done; echo
for ((;;)); do echo once; break; done
n=0; until (( n == 2 )); do (( n++ )); done; echo $n

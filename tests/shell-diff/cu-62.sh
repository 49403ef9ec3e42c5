seq 20 | sort -rn | head -3 | tr '\n' ' '; echo
seq 5 | paste -sd+ | cat
seq 1 10 | tail -n +9 | rev
echo 'a b c' | tr ' ' '\n' | nl -ba -w1

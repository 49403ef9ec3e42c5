{ echo 1; echo 2; echo 3; } > n
{ echo a; echo b; } > l
paste n l
paste -d, n l
paste -s n
paste -s -d: n l
seq 6 | paste - -
seq 5 | paste -d' ' - - -

{ echo c; echo a; echo b; } > f
sort -o f f
cat f
sort -o out f nofile; echo rc=$?
sort -r -o out f; cat out

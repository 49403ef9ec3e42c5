f() { echo out; echo err >&2; }
f 2>/dev/null
f >/dev/null
f > out.txt 2>&1
cat out.txt

printf %d\\n 99999999999999999999 \
  x
echo "a
b" $LINENO
f() {
  printf "%d\n" 1e
}
f

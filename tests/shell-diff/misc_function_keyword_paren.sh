function f() {
  echo "kw $1"
}
f z

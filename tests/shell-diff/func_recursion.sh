fact() {
  if [ $1 -le 1 ]; then echo 1; return; fi
  local sub=$(fact $(($1 - 1)))
  echo $(($1 * sub))
}
fact 5
fib() { local n=$1; if (( n < 2 )); then echo $n; return; fi; echo $(( $(fib $((n-1))) + $(fib $((n-2))) )); }
fib 10

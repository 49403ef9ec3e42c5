count=0
inc() { (( count++ )) || true; }
for i in {1..5}; do inc; done
echo "count=$count"
result=$(for i in 1 2 3; do echo -n "$i"; done)
echo "result=$result"
check() {
  local want=$1; shift
  if [ "$*" = "$want" ]; then echo "ok: $want"; else echo "FAIL: got '$*' want '$want'"; return 1; fi
}
check "a b" a b
check "x" y || echo "check failed with $?"
retries=3
until [ $retries -eq 0 ]; do
  echo "try $retries"
  retries=$((retries - 1))
  [ $retries -eq 1 ] && break
done
echo "left $retries"
str="The quick brown fox"
words=($str)
echo "${#words[@]} words, last=${words[-1]}, upper=${str^^}"
echo "${str// /_}"

set -e
tmp=out.$$
cleanup() { rm_not_available=1; echo "cleaning $?"; }
trap cleanup EXIT
{
  echo "line one"
  echo "line two"
} > result.txt
n=0
while read -r line; do
  n=$((n+1))
  echo "$n: $line"
done < result.txt
[ -s result.txt ] || echo "empty" 
false || echo "recovered"
if ! grep_missing=1; then echo never; fi
echo "end"
exit 0

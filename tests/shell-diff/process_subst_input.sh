count=0
while read -r line; do
  count=$((count+1))
  echo "[$line]"
done < <(echo a; echo "b c"; printf 'last')
echo "count=$count"
read x y < <(echo 1 2); echo "$x-$y"
f() { echo from-f; }
cat < <(f)

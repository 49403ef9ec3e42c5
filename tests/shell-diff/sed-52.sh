printf 'one\ntwo\n' > f1
printf 'three\n' > f2
sed -n '$p;F' f1 f2
echo a | sed 'a X' | sed -n '$='
printf '%s\n' a b | sed -e 'a X' -e Q

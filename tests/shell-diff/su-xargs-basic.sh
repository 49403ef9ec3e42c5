# xargs: batching (-n, -L, -I), input forms (-0, -d), -r, -t, the default echo
echo a b c | xargs -n1 echo
echo a b c d e | xargs -n 2
printf 'x\ny z\n' | xargs -I{} echo "<{}>"
printf '  lead  trail \n' | xargs -I % echo "[%]"
printf 'a b \nc\nd e\n\nf\n' | xargs -L1 echo
printf 'a\0b c\0' | xargs -0 -n1 echo
printf 'a:b:c\n' | xargs -d: -n1 echo
printf 'a\n\nb\n' | xargs -d '\n' -n1 echo "<"
printf 'a\tb' | xargs -d '\t' -n1 echo
echo "a 'b c' \"d e\" f\\ g" | xargs -n1 echo
printf 'x\\\ny\n' | xargs echo
echo | xargs echo x
echo | xargs -r echo x; echo "r=$?"
printf 'a\nb\nSTOP\nc\n' | xargs -E STOP echo
printf 'a b\nc\n' | xargs -t -n1 echo 2>&1
printf 'a b\n' | xargs -I{} -t echo {} 2>&1
printf "it's\n" | xargs -0 -t echo 2>&1
printf 'a\nb\n' | xargs -n1 -I{} echo {} x 2>&1
printf 'a\nb\n' | xargs -L1 -n2 echo 2>&1
printf 'a\nb\n' | xargs -i echo '{}{}'
echo -n | xargs -I{} echo never
printf '%s\n' 1 2 3 4 5 6 7 | xargs -n 3 -P 1 echo
seq 1 30000 | xargs echo | awk '{print NF, $1, $NF}'
printf 'one\ntwo\n' | xargs -n1 -- echo got
echo -e 'a\tb' | xargs echo -e

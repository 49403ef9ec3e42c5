printf 'tw\nfour\n' > pats
printf 'one\ntwo\nfour\n' | grep -f pats
printf 'one\ntwo\n' | grep -f nope
echo "rc=$?"

# xargs: exit statuses 123/124/125/126/127 and its messages
echo a b | xargs nosuch; echo "st=$?"
echo a | xargs ./nonexist; echo "st=$?"
printf '1\n0\n2\n' | xargs -n1 sh -c 'exit $0'; echo "st=$?"
printf '1\n2\n' | xargs -n1 sh -c 'echo run $0; exit 255'; echo "st=$?"
echo "a 'b" | xargs echo; echo "st=$?"
echo 'a "b' | xargs echo; echo "st=$?"
echo "'b" | xargs echo x; echo "st=$?"
xargs -n 0 echo </dev/null; echo "st=$?"
xargs -n x echo </dev/null; echo "st=$?"
xargs -Q </dev/null; echo "st=$?"
xargs --foo </dev/null; echo "st=$?"
xargs -L </dev/null; echo "st=$?"
printf 'a,b' | xargs -d ',,' echo; echo "st=$?"
xargs -a nosuch echo; echo "st=$?"
printf 'f1\nf2\n' > list.txt
xargs -a list.txt echo from file
printf 'a b c' | xargs sh -c 'echo "$0:$#:$*"'
printf 'x y\n' | xargs -n1 sh -c 'echo "[$0]" >&2' 2>&1

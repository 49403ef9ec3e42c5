echo 'x	y' | cat -T
echo 'x	y' | cat -A
echo stdin | cat - nofile; echo rc=$?
mkdir d; cat d; echo rc=$?
echo more | more
echo less | less

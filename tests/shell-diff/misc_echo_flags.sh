echo -n no-newline; echo
echo -e 'a\tb'
echo -E 'a\tb'
echo -ne 'x\n'
echo -- -n
echo -x

echo 'tab	here' | wc -L
echo -n 'no newline' | wc -l
echo '' | wc -w
wc -c - < /dev/null

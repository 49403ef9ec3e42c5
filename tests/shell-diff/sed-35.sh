printf '%s\n' one two | sed 's/o/0/w out.txt'
cat out.txt
printf '%s\n' one two | sed -n '/t/w out2.txt'
cat out2.txt
echo a | sed 'w /dev/stdout'

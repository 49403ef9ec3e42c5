printf 'a\0b\nxa\n' | grep a
echo "rc=$?"
printf 'a\0b\nxa\n' | grep -c a
printf 'a\0b\nxa\n' | grep -a x

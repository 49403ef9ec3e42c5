printf 'a\nb' | grep b
printf 'x\0y\0' | grep -z y

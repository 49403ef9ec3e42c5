printf 'a\nb' | sed '$a end'
printf 'a\nb' | sed p
echo
printf 'a\nb' | sed -n p

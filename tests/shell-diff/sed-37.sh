echo a | sed 's/a/b/' -n
echo "rc=$?"
echo a | sed --expression=p --quiet
printf '%s\n' a b c | sed '1d;/b/d'
printf '%s\n' a b c | sed '/b/,$d'

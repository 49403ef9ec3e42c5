printf '%s\n' a b c d e | sed -n '2{p;q}'
echo "rc=$?"
printf '%s\n' a b c | sed -n '/b/{=;p}'

read x < /dev/null; echo "st=$? x=[$x]"
printf 'partial' > p
read y < p; echo "st=$? y=[$y]"

x=$(printf 'a\n\n\n'); echo "[$x]"
y=$(printf '\n\nb'); echo "[$y]"

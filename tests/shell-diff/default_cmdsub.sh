unset v
echo ${v:-$(echo computed)}
w=${v:-"quoted default"}
echo "$w"

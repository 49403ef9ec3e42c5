hosts=(h1 h2 "h 3")
printf '<%s>\n' "${hosts[@]}"
printf '%s,' "${hosts[@]}"; echo
echo "count=${#hosts[@]} last=${hosts[${#hosts[@]}-1]}"

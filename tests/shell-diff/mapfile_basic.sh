printf 'a\nb c\n\nd\n' > f
mapfile -t lines < f
echo ${#lines[@]}
for l in "${lines[@]}"; do echo "[$l]"; done
readarray arr < f
printf '%s' "${arr[1]}"

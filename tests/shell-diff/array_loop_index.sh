a=(p q r)
for ((i=0; i<${#a[@]}; i++)); do echo "$i=${a[$i]}"; done
echo ${a[-1]}

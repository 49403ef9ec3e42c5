printf '%b\n' 'a\tb' 'c\nd'
printf '%b|' 'x\cy' z
echo
printf '%s\n' 'a\tb'

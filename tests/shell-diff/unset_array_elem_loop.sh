a=(a b c d)
unset 'a[0]' 'a[2]'
for x in "${a[@]}"; do echo $x; done
echo ${#a[@]}

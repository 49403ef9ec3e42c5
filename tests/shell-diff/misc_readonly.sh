readonly r=1
r=2
echo "st=$? r=$r"
unset r
echo $r

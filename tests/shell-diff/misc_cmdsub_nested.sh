echo $(echo $(echo $(echo deep)))
x=$(echo "a  b"); echo "$x" $x
echo `echo back`

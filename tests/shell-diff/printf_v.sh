printf -v out '%03d' 7
echo "[$out]"
printf -v s '%s,' a b c
echo "$s"

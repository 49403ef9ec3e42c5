a=3 b=4
echo $((a*a + b*b))
c=a; echo $((c))
echo $(( a > b ? a : b ))

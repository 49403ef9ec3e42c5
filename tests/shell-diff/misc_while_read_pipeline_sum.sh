printf '1\n2\n3\n' > nums
sum=0
while read n; do sum=$((sum + n)); done < nums
echo $sum

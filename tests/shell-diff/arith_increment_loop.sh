i=0
while (( i < 5 )); do
  (( i++ ))
done
echo $i
(( i += 10, i *= 2 ))
echo $i

f() { counter=$((counter + 1)); }
counter=0
f; f; f
echo $counter

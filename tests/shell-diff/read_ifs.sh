echo "a:b:c:d" > f
IFS=: read x y z < f; echo "$x|$y|$z"
IFS=: read -r x y < f; echo "$x|$y"
echo "  lead   trail  " > g
read x < g; echo "[$x]"
IFS= read -r x < g; echo "[$x]"
read -r x y < g; echo "[$x][$y]"

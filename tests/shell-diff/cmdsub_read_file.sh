printf 'line1\nline2\n\n' > f
x=$(<f)
echo "[$x]"
y=$(< nosuch); echo "st=$? [$y]"

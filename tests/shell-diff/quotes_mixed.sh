a="x y"
echo "$a" '$a' $a "'$a'" '"'
echo "a\$b" "a\\b" 'a\b'
echo \"q\" \\

cat <<< "hello there"
read -r a b <<< "one two three"
echo "$a|$b"
x=5; cat <<<$x

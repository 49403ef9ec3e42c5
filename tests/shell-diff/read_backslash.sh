printf 'a\\tb c\\\nd\n' > f
read x < f; echo "[$x]"
read -r x < f; echo "[$x]"

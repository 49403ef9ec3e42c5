read a; echo "first: $a"
read b; echo "second: $b"
while read c; do echo "rest: $c"; done

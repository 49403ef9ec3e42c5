v="a
b"
echo "$v"
echo $v

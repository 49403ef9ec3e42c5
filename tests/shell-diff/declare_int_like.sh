declare x=5
declare -r y=2
y=3
echo $x $y

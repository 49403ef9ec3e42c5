readonly x=1; x=2; echo $x
echo "next: $x"
declare -r y=1; unset y; echo $?

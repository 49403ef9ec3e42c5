echo $'a\tb\nc'
echo $'it\'s' $'\x41\101'
echo "$'not'"
x=$'\e'; echo ${#x}

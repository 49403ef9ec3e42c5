echo $(( 5 ** 0 ))
x=$(( 2 ** -1 )); echo "not reached"
echo next line

RANDOM=123
a=$(( RANDOM % 100 ))
RANDOM=123
b=$(( $RANDOM % 100 ))
[ "$a" = "$b" ] && echo same
echo $a

RANDOM=42
echo $RANDOM $RANDOM $RANDOM
RANDOM=7
a=$RANDOM; RANDOM=7; b=$RANDOM
[ $a = $b ] && echo same

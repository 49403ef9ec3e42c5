a=$BASHPID
b=$(echo $BASHPID)
[ "$a" != "$b" ] && echo differs

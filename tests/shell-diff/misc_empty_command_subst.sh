x=$(true); echo "[$x]"
$(true); echo $?
$(false); echo $?

export A=1 B
B=2
echo $A $B
export 1bad; echo $?

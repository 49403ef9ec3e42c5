f() { echo f; }
f
unset -f f
f
echo $?

[ 1 -lt a ]; echo $?
[ x -eq 1 ]; echo $?
test 1.5 -gt 1; echo $?
[ "" -eq 0 ]; echo $?

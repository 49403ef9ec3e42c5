x=7
[[ $x -gt 5 ]]; echo $?
[[ x -eq 7 ]]; echo $?
[[ 1+1 -eq 2 ]]; echo $?
[[ 010 -eq 8 ]]; echo $?

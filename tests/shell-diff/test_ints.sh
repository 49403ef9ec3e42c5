[ 1 -eq 1 ]; echo $?
[ 2 -ne 2 ]; echo $?
[ 1 -lt 2 ]; echo $?
[ 3 -le 2 ]; echo $?
[ 5 -gt 4 ]; echo $?
[ -5 -ge -5 ]; echo $?
[ " 7 " -eq 7 ]; echo $?
[ +3 -eq 3 ]; echo $?

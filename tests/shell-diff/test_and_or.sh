[ a -a b ]; echo $?
[ a -a "" ]; echo $?
[ "" -o b ]; echo $?
[ "" -o "" ]; echo $?
[ 1 -eq 1 -a 2 -eq 2 ]; echo $?
[ 1 -eq 2 -o 2 -eq 2 ]; echo $?
[ 1 -eq 2 -o 2 -eq 3 -o a = a ]; echo $?

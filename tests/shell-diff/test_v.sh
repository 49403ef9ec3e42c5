a=1
[ -v a ]; echo $?
[ -v b ]; echo $?

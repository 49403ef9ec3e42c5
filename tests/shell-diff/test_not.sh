[ ! a ]; echo $?
[ ! "" ]; echo $?
[ ! a = b ]; echo $?
[ ! ! a ]; echo $?
[ ! ]; echo $?
[ -x ]; echo $?

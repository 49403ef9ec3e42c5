[ a b ]; echo $?
[ ! -z a b ]; echo $?
[ -n a -a ]; echo $?
[ a -foo b ]; echo $?
[ \( a ]; echo $?

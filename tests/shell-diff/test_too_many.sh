[ a b c d e ]; echo $?
[ a = b c ]; echo $?
test a b c d; echo $?

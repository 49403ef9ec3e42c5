[ a = a ]; echo $?
[ a = b ]; echo $?
[ a != b ]; echo $?
[ -n "" ]; echo $?
[ -z "" ]; echo $?
[ -n x ]; echo $?
test abc; echo $?
test ""; echo $?
test; echo $?
[ ]; echo $?

echo hi > f.txt
: > empty
[ -e f.txt ]; echo $?
[ -f f.txt ]; echo $?
[ -d f.txt ]; echo $?
[ -d . ]; echo $?
[ -s f.txt ]; echo $?
[ -s empty ]; echo $?
[ -e nope ]; echo $?
[ -r f.txt ]; echo $?
[ -w f.txt ]; echo $?
[ -x f.txt ]; echo $?

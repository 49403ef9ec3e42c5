[[ a && b ]]; echo $?
[[ -n "" || -z "" ]]; echo $?
[[ ! -n "" ]]; echo $?
[[ ( a == b || c == c ) && x ]]; echo $?
[[ a < b ]]; echo $?
[[ b > c ]]; echo $?

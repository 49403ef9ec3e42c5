[[ a.c =~ "a.c" ]]; echo $?
[[ abc =~ "a.c" ]]; echo $?
[[ abc =~ a.c ]]; echo $?

x=hello.txt
[[ $x == *.txt ]]; echo $?
[[ $x == "*.txt" ]]; echo $?
[[ $x != h* ]]; echo $?
[[ $x = h?llo.* ]]; echo $?
[[ abc == [a-c]bc ]]; echo $?

unset v
[[ $v == "" ]]; echo $?
[[ -z $v ]]; echo $?
v="a b"
[[ $v == "a b" ]]; echo $?

let x=5 y=x*2
echo $x $y
let "z = y - 10"; echo $? $z
let 0; echo $?
let; echo $?

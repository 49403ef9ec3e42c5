(( 1 + 1 )); echo $?
(( 0 )); echo $?
x=3; (( x++ )); echo $x
(( y = x * 2 )); echo $y
if (( y > 5 )); then echo big; fi
(( 1 / 0 )); echo $?

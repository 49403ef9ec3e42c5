f() { echo "$FUNCNAME ${FUNCNAME[@]}"; g; }; g() { echo "${FUNCNAME[@]}"; }; f
f() { return; }; false; f; echo $?
x=1; f() { x=2; local x=3; echo $x; }; f; echo $x
f() { local -r c=1; c=2; echo $c; }; f
set -- a b; f() { shift; echo $@; }; f x y z; echo $@

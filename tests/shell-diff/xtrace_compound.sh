set -x
x=hello
[[ $x == h* ]]
[[ a && -n b ]]
[[ ! a == b || x ]]
(( y = 2 + 3 ))
for i in 1 2; do echo $i; done
case $x in h*) echo matched;; esac
v=$(echo sub)
echo "$(echo inner)"
a=(1 2)
[ -n "$x" ]
x=1 y=2
let z=1
f() { local q=1; echo "in f $1"; }
f arg

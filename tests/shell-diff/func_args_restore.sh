f() { echo "f: $# $1"; }
set -- a b c
f x
echo "main: $# $1"

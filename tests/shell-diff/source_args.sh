echo 'echo "args: $# $1"' > a.sh
set -- x y
. ./a.sh p q r
echo "after: $# $1"

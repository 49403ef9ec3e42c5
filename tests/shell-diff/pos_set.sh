set -- one two three
echo $# $1 $2 $3
shift
echo $# $1
shift 2
echo $#
shift; echo $?
set -- a b c d e f g h i j k
echo ${10} ${11} $10

set -- a b
shift 5; echo $?
echo $#
shift x; echo $?

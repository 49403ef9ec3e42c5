: ignored args
echo $?
: ${x:=set_by_colon}
echo $x

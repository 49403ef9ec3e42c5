return 5
echo $?

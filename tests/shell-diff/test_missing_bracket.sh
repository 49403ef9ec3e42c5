[ a = a; echo $?
[ a; echo $?
echo end

echo ${a b}
echo next
echo ${}
echo end

[[ a == b c ]]
echo next

[[ ( a ]]
echo next

[[ ]]
echo next

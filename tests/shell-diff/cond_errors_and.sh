[[ && a ]]
echo next

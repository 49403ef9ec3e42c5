[[ a
echo next

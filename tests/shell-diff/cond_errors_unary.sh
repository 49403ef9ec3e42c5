true
[[ -f ]]
echo next

[[ a b ]]
echo after

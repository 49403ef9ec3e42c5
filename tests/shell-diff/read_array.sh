read -r -a arr <<< "x y  z"
echo ${#arr[@]} ${arr[1]} ${arr[2]}

declare -a arr
arr[0]=x
echo ${arr[@]}
declare -p arr

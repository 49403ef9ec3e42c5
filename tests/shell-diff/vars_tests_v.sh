v=1; [[ -v v ]] && echo set; [[ -v nope ]] || echo unset
x=(1 2 3); [[ -v x[1] ]] && echo elem
set -- 1 2 3; echo "${@: -1}" "${*:1:2}"
a=(a b c); echo "${a[@]: -2}" "${a[-2]}"
IFS=, ; a=(x y z); echo "${a[*]}"; unset IFS
declare -p nothing_here; echo $?
typeset -i n=5; echo $n
echo ${#PIPESTATUS[@]}
true; echo ${PIPESTATUS[@]}

s="ip 10.1.2.3 up"
if [[ $s =~ ([0-9]+)\.([0-9]+)\.([0-9]+)\.([0-9]+) ]]; then
  echo "${BASH_REMATCH[0]} ${BASH_REMATCH[1]} ${BASH_REMATCH[4]}"
fi
[[ abc =~ ^a(b|x)c$ ]]; echo $? ${BASH_REMATCH[1]}
[[ abc =~ z ]]; echo $? ${#BASH_REMATCH[@]}
re='^[0-9]+$'
[[ 123 =~ $re ]] && echo num
[[ 12a =~ $re ]] || echo notnum

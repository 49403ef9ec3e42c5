f() {
  local -a arr=(one "two three" four)
  echo ${#arr[@]} "${arr[1]}"
  local list=(x y)
  echo ${list[@]}
}
f
declare -a g=(1 2 3)
echo ${g[2]}

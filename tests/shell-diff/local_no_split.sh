v="a b  c"
f() { local x=$v y="$v" z; z=$v; echo "[$x][$y][$z]"; }
f
export E=$v; echo "[$E]"
declare d=$v; echo "[$d]"
local_test() { local arr=($v); echo ${#arr[@]}; }
local_test
g() { local a=1 b=$a; echo "$a $b"; }; g

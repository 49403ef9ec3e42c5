set -x
a="x y"
echo $a "$a" '' "" 'q'"r"
b=$(echo "$a")
f() { local v=$1; echo "$v"; return 2; }
f "hello world" || true
if [ "$a" = "x y" ]; then echo yes; fi
for i in 1; do :; done
while false; do :; done
case x in x) ;; esac
x=$((1+2))
(( x > 2 )) && echo big
echo a > /dev/null
{ echo grp; } 2>/dev/null
c=(1 2)
printf '%s\n' "${c[@]}"
read -r r <<< "in"
export E=1
local_missing=1
cd /
set +x

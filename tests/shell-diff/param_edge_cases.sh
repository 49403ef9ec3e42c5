x=abc; echo ${x:1:1}${x: -1}${x:5}
a=(3 1 2); echo ${a[@]:1:5} ${!a[@]}
a=(x y); a[5]=z; echo ${!a[@]} ${#a[@]}
s='a*b'; echo ${s/\*/X} "${s/'*'/Y}"
v=hello; echo ${v/l/L} ${v//l} ${v/#h/H} ${v/%o/O}
v=/a/b/c; echo ${v##*/} ${v%/*} ${v#/}
v='x.tar.gz'; echo ${v%%.*} ${v#*.}
echo ${#} ${#*} ${@:-none}
x=; echo ${x-unset} ${x:-empty} ${y=new} $y

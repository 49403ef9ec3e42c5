s="hello"; echo ${#s}
e=""; echo ${#e}
a=(1 2 3); echo ${#a[@]}
set -- x y; echo ${#@}

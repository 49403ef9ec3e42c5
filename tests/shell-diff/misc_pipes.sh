echo hello | cat | cat
echo abc | { read v; echo "got $v"; }
x=before; echo new | read x; echo $x

x=outer
f() { echo "in f: $x"; }
x=temp f
echo "after: $x"
IFS=, read a b <<< "1,2"; echo "$a $b"
[ "$IFS" = "$(printf ' \t\n')" ] && echo default-ifs

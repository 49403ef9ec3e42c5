f() { echo "args:$#"; }; f "" ""; f $nothing; f "$nothing"
a="  leading"; echo $a; echo "$a"
echo -e "col1\tcol2" ; echo -n "" ; echo
x="a'b"; echo "$x" '$x' "\$x"
echo 'single "double"' "double 'single'"
echo $'\'' "\\" '\\'

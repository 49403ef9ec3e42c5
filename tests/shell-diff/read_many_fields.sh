read a b <<< "1 2 3 4"; echo "[$a][$b]"
read a b c <<< "1"; echo "[$a][$b][$c]"
IFS=, read a b <<< "x,y,z,"; echo "[$a][$b]"
IFS=, read a b <<< "x,y,"; echo "[$a][$b]"

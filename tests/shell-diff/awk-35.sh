# awk: print > file and >> file
echo 'a b' | awk '{print $1 > "out.txt"; print $2 > "out.txt"}'
cat out.txt
echo 'c' | awk '{print >> "out.txt"}'
cat out.txt

out=""
for i in 1 2 3; do out="$out$i,"; done
echo ${out%,}

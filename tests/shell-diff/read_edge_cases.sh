read a <<< ""; echo "st=$? [$a]"
IFS=: read -a p <<< "a:b::c"; echo ${#p[@]} "${p[2]}"
read -r a b <<< "  x   y   z  "; echo "[$a][$b]"
echo "a b" | while read x y; do echo $y $x; done
printf '%s\n' a b | { read x; read y; echo $y$x; }
i=0; while read l; do i=$((i+1)); done <<< $'1\n2\n3'; echo $i

printf 'a b c\n' | { read x y; echo "x=$x y=$y"; }
printf 'one\ntwo\n' | while read line; do echo "got $line"; done
echo "no newline" > f
printf 'last' >> f
while read -r l; do echo "[$l]"; done < f
read -r v < f; echo "st=$? v=$v"

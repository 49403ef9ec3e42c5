printf 'a\tb\001\\c\n' | sed -n l
echo abcdefghijkl | sed -n 'l 5'
echo abcdefghijkl | sed -l 6 -n l

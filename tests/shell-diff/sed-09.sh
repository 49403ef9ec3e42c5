echo 'a b' | sed 's/ /\n/'
echo 'a	b' | sed 's/\t/TAB/'
echo a | sed 's/a/\x41\o102\d67/'

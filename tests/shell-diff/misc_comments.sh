# comment
echo a # trailing
echo b#not
echo '#' "#"

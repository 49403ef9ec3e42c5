echo x | sed -e 'a\' -e foo
echo abc | sed -e '/b/{' -e 's/b/B/' -e '}'
echo a | sed '#n
p'

echo x | sed 's/a/b/gg'
echo x | sed 's/a/b/pp'
echo x | sed 's/a/b/0'
echo x | sed 's/a/b/2g3'
echo x | sed +1p
echo x | sed '2,3#x'
echo x | sed w

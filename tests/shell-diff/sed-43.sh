echo x | sed -e p -e '}'
echo x | sed -e p -e 's/x'
echo x | sed --foo
echo x | sed -k
echo x | sed

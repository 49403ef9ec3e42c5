printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | grep -F 'x+y (z)'
printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | grep -F -e . -e '['
echo "rc=$?"

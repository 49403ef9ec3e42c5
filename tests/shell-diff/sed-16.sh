printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | sed -n '/a/{/b/p}'
printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | sed -n '/a/{
/b/p
}'

printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | sed -n '/beta/,/foo/p'
printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | sed -n '2,4p'

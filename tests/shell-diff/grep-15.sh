printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | grep -e one -e two
printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | grep --regexp=three --regexp=end

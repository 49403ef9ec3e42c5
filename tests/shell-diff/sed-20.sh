printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | sed 'y/abc/xyz/'
echo 'a/b' | sed 'y/\//|/'

printf '%s\n' 'alpha one' 'beta two' 'gamma three' 'foo_bar baz' 'ab abab' 'x+y (z)' 'end' | sed 's/.*/\U&/;s/A/\l&/'
echo 'hello world' | sed -E 's/(\w+) (\w+)/\u\2 \U\1\E!/'

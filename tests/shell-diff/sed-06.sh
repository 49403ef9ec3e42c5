printf '%s\n' abc bbb | sed 's/b*/X/g'
echo abc | sed 's/x*/-/g'
echo 'ab abab' | sed 's/a\|ab/X/g'

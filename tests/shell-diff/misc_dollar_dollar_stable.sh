a=$$; b=$$
[ "$a" = "$b" ] && echo stable
( [ "$$" = "$a" ] && echo same-in-subshell )

{ echo a; echo A; echo b; } | uniq -i
{ echo '1 a'; echo '2 a'; echo '3 b'; } | uniq -f1 -c
{ echo xa; echo ya; echo zb; } | uniq -s1
{ echo ab; echo ac; echo b; } | uniq -w1

f() { echo out; echo err >&2; }
f 2>&1 | while read l; do echo "got $l"; done
f >/dev/null 2>&1; echo "quiet $?"
f &> both.txt; cat both.txt
f &>> both.txt; cat both.txt | while read -r l; do echo "<$l>"; done
f 2> err.txt; echo "err: $(cat err.txt)"
>&2 echo to-stderr
echo x 1>&2
{ f; } 2>&1 >/dev/null | cat
out=$(f 2>&1); echo "[$out]"
out=$(f 2>/dev/null); echo "[$out]"
exec 2>/dev/null
echo hidden >&2
f
exec 3>&1
echo via3 >&3
echo closed >&4
exec 4>fd4.txt
echo into4 >&4
echo more >&4
cat fd4.txt
exec 4>&-
echo after-close >&4
{ echo grouped >&3; } 3>g.txt; cat g.txt

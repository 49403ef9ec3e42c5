{ echo a; echo b; } > f
cat f
{ echo c; } >> f; cat f

{ echo ' b'; echo 'a'; echo '  c'; } | sort
{ echo ' b'; echo 'a'; echo '  c'; } | sort -b
{ echo 'x  b'; echo 'x a'; } | sort -k2
{ echo 'x  b'; echo 'x a'; } | sort -k2b
{ echo mar; echo Jan; echo foo; echo DEC; } | sort -M

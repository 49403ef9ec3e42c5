echo hello world > f
echo foo >> f
wc f
wc -l f
wc -w -c f
wc -l < f
cat f | wc

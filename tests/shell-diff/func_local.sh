x=global
f() { local x=inner; echo "in f: $x"; g; }
g() { echo "in g: $x"; }
f
echo "after: $x"
h() { local y; y=2; echo "h: $y"; }
h
echo "y=[$y]"

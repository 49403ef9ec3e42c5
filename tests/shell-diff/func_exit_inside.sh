f() { echo in; exit 4; echo no; }
f
echo never

: > x1; : > x2; : > .hidden
for f in x*; do echo "file $f"; done
echo *
echo .h*

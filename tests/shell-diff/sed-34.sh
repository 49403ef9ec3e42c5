printf 's/o/0/g\n/four/d\n' > s.sed
printf '%s\n' one two four | sed -f s.sed
echo x | sed -f nope
echo "rc=$?"

{ echo a; echo b; } > x
echo c > y
head x y
head -q x y
head -v -n1 x
head x nofile y; echo rc=$?

f() { for i in 1 2; do echo "f$i"; done; }
for k in a b; do f; done

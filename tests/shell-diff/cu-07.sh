echo a b c > f1
seq 100 > f2
wc f1 f2
wc -l f1 nofile f2; echo rc=$?
mkdir d; wc d f1; echo rc=$?

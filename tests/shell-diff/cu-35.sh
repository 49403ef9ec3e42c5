for i in $(seq 3); do echo "host$i"; done
for n in $(seq 2 2 6); do echo "n=$n"; done
seq 100 | tail -n 1

seq 10 > n
tail -n 3 n
tail -n +8 n
tail -c 5 n
tail -2 n
tail +9 n

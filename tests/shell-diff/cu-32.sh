seq 0 0.25 1
seq 1 0.5 3
seq -w 8 11
seq -w -2 2
seq -f '%03g' 3
seq -f 'ip-%g' 2

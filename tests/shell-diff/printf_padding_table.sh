for i in 1 22 333; do printf '%03d|%-4s|%4s|\n' $i $i $i; done

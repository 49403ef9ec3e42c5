for i in 1 2 3 4 5; do r=$RANDOM; [ $r -ge 0 ] && [ $r -le 32767 ] || echo bad; done
echo ok

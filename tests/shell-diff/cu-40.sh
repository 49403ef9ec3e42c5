expr 1 + 2
expr 10 - 3 \* 2
expr 7 / 2
expr 7 % 3
i=0; i=$(expr $i + 1); echo $i
expr 5 \> 3
expr abc \< abd

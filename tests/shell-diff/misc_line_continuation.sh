echo a \
  b \
  c
x=1\
2; echo $x

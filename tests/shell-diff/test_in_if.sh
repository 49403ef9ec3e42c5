x=5
if [ "$x" -gt 3 ]; then echo big; else echo small; fi
if test "$x" = 5 && [ -n "$x" ]; then echo both; fi
while [ $x -gt 0 ]; do x=$((x-2)); done; echo $x

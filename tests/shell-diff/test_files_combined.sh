echo data > f
if [ -f f ] && [ -s f ]; then echo nonempty; fi
[ -e f -a ! -d f ]; echo $?

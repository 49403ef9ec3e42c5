cmd='echo evaluated'
eval $cmd
eval "x=5; y=\$((x*2))"
echo $y
v=name; eval "$v=value"; echo $name
eval 'for i in 1 2; do echo $i; done'

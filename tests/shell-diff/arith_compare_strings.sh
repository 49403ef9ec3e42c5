a=10 b=9
if (( a > b )); then echo "num greater"; fi
if [[ $a > $b ]]; then echo "str greater"; else echo "str less"; fi

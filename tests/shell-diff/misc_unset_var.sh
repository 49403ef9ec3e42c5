x=1; unset x; echo "[$x]"
a=(1 2); unset a; echo "[${a[@]}]"

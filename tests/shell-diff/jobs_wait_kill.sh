sleep 0.2 &
pid=$!
jobs
wait $pid; echo "wait=$?"
jobs
sleep 5 &
kill %1; echo "kill=$?"
wait; echo "wait2=$?"
sleep 0.1 & sleep 0.2 &
wait
echo done
( exit 3 ) &
wait $!; echo "sub=$?"

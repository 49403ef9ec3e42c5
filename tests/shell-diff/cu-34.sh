echo one > f
echo two | tee -a f | tr a-z A-Z
cat f
echo three | tee - | wc -c; cat ./-

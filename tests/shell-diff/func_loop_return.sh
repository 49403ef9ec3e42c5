f() {
  for i in 1 2 3 4; do
    if [ $i = 3 ]; then return $i; fi
    echo $i
  done
}
f; echo "st=$?"

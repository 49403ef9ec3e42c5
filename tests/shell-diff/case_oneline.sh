v=b; case $v in a) echo A;; b) echo B;; esac
case "$v" in
  b)
    echo multi
    echo line
    ;;
esac

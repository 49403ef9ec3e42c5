sh -c 'echo in child $0 $1' name arg
bash -c 'exit 3'; echo $?
bash -c 'echo $#' x a b c
x=1; export x; y=2
bash -c 'echo "x=$x y=$y"'

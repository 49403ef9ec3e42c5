trap 'echo parent' EXIT
( trap 'echo child' EXIT; echo in sub )
echo main

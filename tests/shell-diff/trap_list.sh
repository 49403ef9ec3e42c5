trap 'echo a' EXIT
trap 'echo b' INT TERM
trap
trap - INT
trap

trap 'echo trap sees $?; exit 7' EXIT
exit 3

trap 'echo "exiting with $?"' EXIT
false
exit 3
